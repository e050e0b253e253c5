import { tarballUrlMismatch } from '../../../../src/core/review/rules/tarball-url-mismatch';
import { history } from '../../rules/helpers';
import { entry, entryInput, reviewRuleTable } from './helpers';

const lib = history('lib', [{ version: '1.0.0', tarball: 'https://registry.npmjs.org/lib/-/lib-1.0.0.tgz' }]);
const scoped = history('@s/lib', [{ version: '2.0.0', tarball: 'https://registry.npmjs.org/@s/lib/-/lib-2.0.0.tgz' }]);
const at = (resolved: string) => entry('lib', '1.0.0', { resolved });

reviewRuleTable(tarballUrlMismatch, {
  valid: [
    { name: "the registry's own URL", input: entryInput(at('https://registry.npmjs.org/lib/-/lib-1.0.0.tgz'), { history: lib }) },
    { name: 'a Yarn alias of the npm registry, with its #sha1 fragment', input: entryInput(at('https://registry.yarnpkg.com/lib/-/lib-1.0.0.tgz#abcdef'), { history: lib }) },
    { name: 'an escaped scoped name', input: entryInput(entry('@s/lib', '2.0.0', { resolved: 'https://registry.npmjs.org/@s%2flib/-/lib-2.0.0.tgz' }), { history: scoped }) },
    {
      name: "the configured mirror's own address for the same tarball",
      input: entryInput(at('https://npm.corp.example/api/npm/lib/-/lib-1.0.0.tgz'), { history: lib, registry: 'https://npm.corp.example/api/npm/' }),
    },
    { name: "the published path on the configured registry's host", input: entryInput(at('http://127.0.0.1:4873/lib/-/lib-1.0.0.tgz'), { history: lib, registry: 'http://127.0.0.1:4873/' }) },
    { name: 'no resolved URL (the default registry)', input: entryInput(entry('lib', '1.0.0'), { history: lib }) },
    { name: 'the registry did not answer', input: entryInput(at('https://evil.example/lib-1.0.0.tgz')) },
    { name: 'a version the registry does not have (version-not-in-registry reports it)', input: entryInput(entry('lib', '9.0.0', { resolved: 'https://evil.example/x.tgz' }), { history: lib }) },
  ],
  invalid: [
    {
      name: 'another host',
      input: entryInput(at('https://evil.example.com/lib/-/lib-1.0.0.tgz'), { history: lib, registry: 'https://registry.npmjs.org/' }),
      expected: [
        {
          rule: 'tarball-url-mismatch',
          severity: 'error',
          package: 'lib',
          version: '1.0.0',
          message:
            'lib@1.0.0 is locked to https://evil.example.com/lib/-/lib-1.0.0.tgz, but the registry publishes it at https://registry.npmjs.org/lib/-/lib-1.0.0.tgz. ' +
            "The package manager downloads from the lockfile's URL, so this installs whatever that address serves. " +
            "Restore the registry's URL (reinstall lib@1.0.0), unless the project deliberately hosts this tarball elsewhere.",
          evidence: { resolved: 'https://evil.example.com/lib/-/lib-1.0.0.tgz', registryTarball: 'https://registry.npmjs.org/lib/-/lib-1.0.0.tgz' },
        },
      ],
    },
    {
      name: "another package's tarball on the registry itself",
      input: entryInput(at('https://registry.npmjs.org/evil/-/evil-1.0.0.tgz'), { history: lib }),
      expected: [
        {
          rule: 'tarball-url-mismatch',
          severity: 'error',
          package: 'lib',
          version: '1.0.0',
          message:
            'lib@1.0.0 is locked to https://registry.npmjs.org/evil/-/evil-1.0.0.tgz, but the registry publishes it at https://registry.npmjs.org/lib/-/lib-1.0.0.tgz. ' +
            "The package manager downloads from the lockfile's URL, so this installs whatever that address serves. " +
            "Restore the registry's URL (reinstall lib@1.0.0), unless the project deliberately hosts this tarball elsewhere.",
          evidence: { resolved: 'https://registry.npmjs.org/evil/-/evil-1.0.0.tgz', registryTarball: 'https://registry.npmjs.org/lib/-/lib-1.0.0.tgz' },
        },
      ],
    },
    {
      name: 'plain http to the npm registry (a near miss of the alias rule: the scheme counts)',
      input: entryInput(at('http://registry.npmjs.org/lib/-/lib-1.0.0.tgz'), { history: lib }),
      expected: [
        {
          rule: 'tarball-url-mismatch',
          severity: 'error',
          package: 'lib',
          version: '1.0.0',
          message:
            'lib@1.0.0 is locked to http://registry.npmjs.org/lib/-/lib-1.0.0.tgz, but the registry publishes it at https://registry.npmjs.org/lib/-/lib-1.0.0.tgz. ' +
            "The package manager downloads from the lockfile's URL, so this installs whatever that address serves. " +
            "Restore the registry's URL (reinstall lib@1.0.0), unless the project deliberately hosts this tarball elsewhere.",
          evidence: { resolved: 'http://registry.npmjs.org/lib/-/lib-1.0.0.tgz', registryTarball: 'https://registry.npmjs.org/lib/-/lib-1.0.0.tgz' },
        },
      ],
    },
  ],
});
