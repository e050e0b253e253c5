import { nonRegistrySource } from '../../../../src/core/review/rules/non-registry-source';
import { entry, entryInput, reviewRuleTable } from './helpers';

const SAFE_ADVICE = 'Make sure the change means to depend on it, and pin it to a commit or a file you have read.';
const HTTP_ADVICE = 'Install it from the registry, or from an https URL with an integrity.';

reviewRuleTable(nonRegistrySource, {
  valid: [
    { name: 'a registry package', input: entryInput(entry('lib', '1.0.0', { resolved: 'https://registry.npmjs.org/lib/-/lib-1.0.0.tgz' })) },
    { name: "a workspace (the project's own code)", input: entryInput(entry('web', '0.0.0', { source: 'workspace' })) },
    { name: 'a link', input: entryInput(entry('tool', '1.0.0', { source: 'link', resolved: '../tool' })) },
  ],
  invalid: [
    {
      name: 'a GitHub dependency',
      input: entryInput(entry('tool', '1.0.0', { source: 'git', resolved: 'git+ssh://git@github.com/a/tool.git#0123456789abcdef' })),
      expected: [
        {
          rule: 'non-registry-source',
          severity: 'warning',
          package: 'tool',
          version: '1.0.0',
          message: `tool comes from a git repository (git+ssh://git@github.com/a/tool.git#0123456789abcdef), not from the registry: its release age, publisher and provenance cannot be checked, and its install scripts run like any other. ${SAFE_ADVICE}`,
          evidence: { source: 'git', resolved: 'git+ssh://git@github.com/a/tool.git#0123456789abcdef' },
        },
      ],
    },
    {
      name: 'an https tarball, its query (a token) left out',
      input: entryInput(entry('pkg', '2.0.0', { source: 'url', resolved: 'https://cdn.example/pkg-2.0.0.tgz?sig=secret' })),
      expected: [
        {
          rule: 'non-registry-source',
          severity: 'warning',
          package: 'pkg',
          version: '2.0.0',
          message: `pkg comes from a tarball URL (https://cdn.example/pkg-2.0.0.tgz), not from the registry: its release age, publisher and provenance cannot be checked, and its install scripts run like any other. ${SAFE_ADVICE}`,
          evidence: { source: 'url', resolved: 'https://cdn.example/pkg-2.0.0.tgz' },
        },
      ],
    },
    {
      name: 'plain http is an error',
      input: entryInput(entry('pkg', '2.0.0', { source: 'url', resolved: 'http://cdn.example/pkg-2.0.0.tgz' })),
      expected: [
        {
          rule: 'non-registry-source',
          severity: 'error',
          package: 'pkg',
          version: '2.0.0',
          message: `pkg is downloaded from http://cdn.example/pkg-2.0.0.tgz without encryption: anyone on the network path can replace it, and no registry vouches for the bytes. ${HTTP_ADVICE}`,
          evidence: { source: 'url', resolved: 'http://cdn.example/pkg-2.0.0.tgz' },
        },
      ],
    },
    {
      name: 'git:// is an error too',
      input: entryInput(entry('tool', '1.0.0', { source: 'git', resolved: 'git://example.com/tool.git#abc' })),
      expected: [
        {
          rule: 'non-registry-source',
          severity: 'error',
          package: 'tool',
          version: '1.0.0',
          message: `tool is downloaded from git://example.com/tool.git#abc without encryption: anyone on the network path can replace it, and no registry vouches for the bytes. ${HTTP_ADVICE}`,
          evidence: { source: 'git', resolved: 'git://example.com/tool.git#abc' },
        },
      ],
    },
    {
      name: 'a file in the repository',
      input: entryInput(entry('vendored', 'file:vendor/vendored-1.0.0.tgz', { source: 'file' })),
      expected: [
        {
          rule: 'non-registry-source',
          severity: 'warning',
          package: 'vendored',
          version: 'file:vendor/vendored-1.0.0.tgz',
          message: `vendored comes from a local file (file:vendor/vendored-1.0.0.tgz), not from the registry: its release age, publisher and provenance cannot be checked, and its install scripts run like any other. ${SAFE_ADVICE}`,
          evidence: { source: 'file', resolved: 'file:vendor/vendored-1.0.0.tgz' },
        },
      ],
    },
  ],
});
