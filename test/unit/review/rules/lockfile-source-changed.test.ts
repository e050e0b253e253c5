import { lockfileSourceChanged } from '../../../../src/core/review/rules/lockfile-source-changed';
import { change, changeInput, reviewRuleTable } from './helpers';

const ADVICE =
  'Pointing an existing version at another tarball is how a dependency is swapped without a version bump, and reviewers rarely read lockfile URLs. ' +
  'Restore the previous entry, unless the project has moved to another registry.';

reviewRuleTable(lockfileSourceChanged, {
  valid: [
    { name: 'an upgrade', input: changeInput(change('upgraded', 'lib', '1.0.0', '1.0.1')) },
    { name: 'an integrity change alone', input: changeInput(change('integrity-changed', 'lib', '1.0.0', '1.0.0')) },
  ],
  invalid: [
    {
      name: 'the default registry replaced by another host',
      input: changeInput(
        change('source-changed', 'lib', '1.0.0', '1.0.0', {
          before: { source: 'registry' },
          after: { source: 'registry', resolved: 'https://evil.example.com/lib/-/lib-1.0.0.tgz?token=abc' },
        }),
      ),
      expected: [
        {
          rule: 'lockfile-source-changed',
          severity: 'error',
          package: 'lib',
          version: '1.0.0',
          message: `lib@1.0.0 now comes from https://evil.example.com/lib/-/lib-1.0.0.tgz instead of the configured registry, with the version unchanged. ${ADVICE}`,
          evidence: { before: 'the configured registry', after: 'https://evil.example.com/lib/-/lib-1.0.0.tgz' },
        },
      ],
    },
    {
      name: 'a registry tarball replaced by a git commit',
      input: changeInput(
        change('source-changed', 'lib', '1.0.0', '1.0.0', {
          before: { source: 'registry', resolved: 'https://registry.npmjs.org/lib/-/lib-1.0.0.tgz' },
          after: { source: 'git', resolved: 'git+ssh://git@github.com/evil/lib.git#deadbeef' },
        }),
      ),
      expected: [
        {
          rule: 'lockfile-source-changed',
          severity: 'error',
          package: 'lib',
          version: '1.0.0',
          message: `lib@1.0.0 now comes from git+ssh://git@github.com/evil/lib.git#deadbeef instead of https://registry.npmjs.org/lib/-/lib-1.0.0.tgz, with the version unchanged. ${ADVICE}`,
          evidence: { before: 'https://registry.npmjs.org/lib/-/lib-1.0.0.tgz', after: 'git+ssh://git@github.com/evil/lib.git#deadbeef' },
        },
      ],
    },
  ],
});
