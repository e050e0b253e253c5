import { integrityMissing } from '../../../../src/core/review/rules/integrity-missing';
import { entry, entryInput, reviewRuleTable } from './helpers';

const MESSAGE =
  'lib@1.0.0 has no integrity in the lockfile, so nothing checks that the tarball downloaded is the one the registry published. ' +
  'Regenerate the entry with the package manager (reinstall lib@1.0.0) so that it records one.';

reviewRuleTable(integrityMissing, {
  valid: [
    { name: 'an entry with an integrity', input: entryInput(entry('lib', '1.0.0', { integrity: 'sha512-AAAA' })) },
    { name: "Yarn Berry, which records its own checksum instead", input: entryInput(entry('lib', '1.0.0'), { format: 'yarn-berry' }) },
    { name: "a bundled copy, verified with its parent's tarball", input: entryInput(entry('lib', '1.0.0', { inBundle: true })) },
    { name: 'a git dependency', input: entryInput(entry('lib', '1.0.0', { source: 'git' })) },
  ],
  invalid: [
    {
      name: 'a registry entry without one',
      input: entryInput(entry('lib', '1.0.0')),
      expected: [{ rule: 'integrity-missing', severity: 'warning', package: 'lib', version: '1.0.0', message: MESSAGE, evidence: { resolved: null } }],
    },
    {
      name: 'Yarn classic without one, the URL shown without its fragment',
      input: entryInput(entry('lib', '1.0.0', { resolved: 'https://registry.yarnpkg.com/lib/-/lib-1.0.0.tgz' }), { format: 'yarn-classic' }),
      expected: [
        { rule: 'integrity-missing', severity: 'warning', package: 'lib', version: '1.0.0', message: MESSAGE, evidence: { resolved: 'https://registry.yarnpkg.com/lib/-/lib-1.0.0.tgz' } },
      ],
    },
  ],
});
