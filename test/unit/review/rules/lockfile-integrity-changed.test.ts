import { lockfileIntegrityChanged } from '../../../../src/core/review/rules/lockfile-integrity-changed';
import { change, changeInput, reviewRuleTable } from './helpers';

const A = 'sha512-QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB';
const B = 'sha512-QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJC';

reviewRuleTable(lockfileIntegrityChanged, {
  valid: [
    { name: 'a source change alone', input: changeInput(change('source-changed', 'lib', '1.0.0', '1.0.0', { before: { source: 'registry' }, after: { source: 'registry' } })) },
    {
      name: "Yarn Berry re-hashing every package under a new cache key (8/… to 10c0/…)",
      input: changeInput(change('integrity-changed', 'lib', '1.0.0', '1.0.0', { before: { source: 'registry', checksum: '8/aaaa' }, after: { source: 'registry', checksum: '10c0/bbbb' } })),
    },
    { name: 'an upgrade', input: changeInput(change('upgraded', 'lib', '1.0.0', '1.0.1')) },
  ],
  invalid: [
    {
      name: 'another integrity for the same version',
      input: changeInput(change('integrity-changed', 'lib', '1.0.0', '1.0.0', { before: { source: 'registry', integrity: A }, after: { source: 'registry', integrity: B } })),
      expected: [
        {
          rule: 'lockfile-integrity-changed',
          severity: 'error',
          package: 'lib',
          version: '1.0.0',
          message:
            'lib@1.0.0 has a different integrity than before (sha512-QUFBQUFBQUFBQUFBQUFBQU… → sha512-QkJCQkJCQkJCQkJCQkJCQk…) for the same version. ' +
            'A published version never changes on the registry, so the lockfile now names other bytes. ' +
            'Restore the previous entry, and compare the new one with the registry (integrity-mismatch does).',
          evidence: { before: A, after: B },
        },
      ],
    },
    {
      name: 'another Yarn checksum under the same cache key',
      input: changeInput(change('integrity-changed', 'lib', '1.0.0', '1.0.0', { before: { source: 'registry', checksum: '10c0/aaaa' }, after: { source: 'registry', checksum: '10c0/bbbb' } }), { format: 'yarn-berry' }),
      expected: [
        {
          rule: 'lockfile-integrity-changed',
          severity: 'error',
          package: 'lib',
          version: '1.0.0',
          message:
            "lib@1.0.0 has a different Yarn checksum than before (10c0/aaaa → 10c0/bbbb) under the same cache key, for the same version. The checksum is a hash of Yarn's own archive, not verified against the registry, but it changes only when the contents do. " +
            'Restore the previous entry, or run `yarn install --check-cache` to compare it with the registry.',
          evidence: { before: '10c0/aaaa', after: '10c0/bbbb' },
        },
      ],
    },
  ],
});
