import { integrityMismatch } from '../../../../src/core/review/rules/integrity-mismatch';
import { history } from '../../rules/helpers';
import { entry, entryInput, reviewRuleTable } from './helpers';

const REGISTRY = 'sha512-UmVnaXN0cnk=';
const OTHER = 'sha512-T3RoZXI=';
const lib = history('lib', [{ version: '1.0.0', integrity: REGISTRY, tarball: 'https://registry.npmjs.org/lib/-/lib-1.0.0.tgz' }]);
const MESSAGE =
  "lib@1.0.0: the lockfile's integrity (sha512-T3RoZXI=) is not the one the registry publishes for this version (sha512-UmVnaXN0cnk=). " +
  'The package manager checks the download against the lockfile, so the install either fails or takes bytes the registry never published. ' +
  'Restore the entry from the registry (reinstall lib@1.0.0) and find out who changed it.';

reviewRuleTable(integrityMismatch, {
  valid: [
    { name: "the registry's integrity", input: entryInput(entry('lib', '1.0.0', { integrity: REGISTRY }), { history: lib }) },
    { name: 'the same digest among several hashes', input: entryInput(entry('lib', '1.0.0', { integrity: `sha1-AAAA ${REGISTRY}` }), { history: lib }) },
    { name: 'no shared algorithm (sha1 lockfile, sha512 registry): unknown, not a mismatch', input: entryInput(entry('lib', '1.0.0', { integrity: 'sha1-AAAA' }), { history: lib }) },
    { name: 'no integrity in the lockfile (integrity-missing reports it)', input: entryInput(entry('lib', '1.0.0'), { history: lib }) },
    { name: 'a bundled copy, which has no integrity of its own', input: entryInput(entry('lib', '1.0.0', { integrity: OTHER, inBundle: true }), { history: lib }) },
    { name: 'the registry did not answer', input: entryInput(entry('lib', '1.0.0', { integrity: OTHER })) },
    { name: 'the registry gives no integrity (a mirror)', input: entryInput(entry('lib', '1.0.0', { integrity: OTHER }), { history: history('lib', [{ version: '1.0.0' }]) }) },
    { name: 'a git dependency', input: entryInput(entry('lib', '1.0.0', { integrity: OTHER, source: 'git' }), { history: lib }) },
  ],
  invalid: [
    {
      name: 'another sha512 than the registry publishes',
      input: entryInput(entry('lib', '1.0.0', { integrity: OTHER }), { history: lib }),
      expected: [{ rule: 'integrity-mismatch', severity: 'error', package: 'lib', version: '1.0.0', message: MESSAGE, evidence: { lockfileIntegrity: OTHER, registryIntegrity: REGISTRY } }],
    },
    {
      name: 'with a resolved URL, shown without its query',
      input: entryInput(entry('lib', '1.0.0', { integrity: OTHER, resolved: 'https://cdn.example/lib.tgz?token=x' }), { history: lib }),
      expected: [
        {
          rule: 'integrity-mismatch',
          severity: 'error',
          package: 'lib',
          version: '1.0.0',
          message: MESSAGE.replace('never published.', 'never published from https://cdn.example/lib.tgz.'),
          evidence: { lockfileIntegrity: OTHER, registryIntegrity: REGISTRY, resolved: 'https://cdn.example/lib.tgz' },
        },
      ],
    },
  ],
});
