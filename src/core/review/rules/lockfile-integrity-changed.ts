/** Flags a version that stays the same while its lockfile integrity (or Yarn checksum) changes. */

import { describeIntegrity } from '../sources';
import type { ChangeRule } from './types';

export const lockfileIntegrityChanged: ChangeRule = {
  meta: {
    id: 'lockfile-integrity-changed',
    defaultSeverity: 'error',
    description: 'The same name@version has a different integrity (or Yarn checksum) than before.',
  },
  kind: 'change',
  check: ({ change }) => {
    if (change.kind !== 'integrity-changed' || change.to === undefined) return [];
    const name = `${change.name}@${change.to}`;
    const b = change.before;
    const a = change.after;
    if (b?.integrity !== undefined && a?.integrity !== undefined) {
      return [
        {
          rule: 'lockfile-integrity-changed',
          severity: 'error',
          package: change.name,
          version: change.to,
          message:
            `${name} has a different integrity than before (${describeIntegrity(b.integrity)} → ${describeIntegrity(a.integrity)}) for the same version. ` +
            'A published version never changes on the registry, so the lockfile now names other bytes. ' +
            'Restore the previous entry, and compare the new one with the registry (integrity-mismatch does).',
          evidence: { before: b.integrity, after: a.integrity },
        },
      ];
    }
    // Yarn Berry's checksum hashes Yarn's own archive: a new cache key (`8/…` to `10c0/…`) re-hashes
    // every package without any change of contents, so only a change under the same key counts.
    if (b?.checksum !== undefined && a?.checksum !== undefined && cacheKey(b.checksum) === cacheKey(a.checksum)) {
      return [
        {
          rule: 'lockfile-integrity-changed',
          severity: 'error',
          package: change.name,
          version: change.to,
          message:
            `${name} has a different Yarn checksum than before (${describeIntegrity(b.checksum)} → ${describeIntegrity(a.checksum)}) under the same cache key, for the same version. ` +
            "The checksum is a hash of Yarn's own archive, not verified against the registry, but it changes only when the contents do. " +
            'Restore the previous entry, or run `yarn install --check-cache` to compare it with the registry.',
          evidence: { before: b.checksum, after: a.checksum },
        },
      ];
    }
    return [];
  },
};

function cacheKey(checksum: string): string {
  const slash = checksum.indexOf('/');
  return slash < 0 ? '' : checksum.slice(0, slash);
}
