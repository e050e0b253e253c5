/** Flags a new or changed lockfile entry whose version no range in a manifest or lockfile entry admits. */

import semver from 'semver';
import { formatList } from '../../format';
import type { ChangeRule } from './types';

const NEW_KINDS = new Set(['added', 'added-alongside', 'upgraded', 'downgraded']);
/** At most this many ranges are named in a message; the evidence lists them all. */
const MAX_SHOWN = 5;

export const lockfileInconsistent: ChangeRule = {
  meta: {
    id: 'lockfile-inconsistent',
    defaultSeverity: 'warning',
    description: 'A changed lockfile entry has a version that no range in a manifest or a parent entry admits.',
  },
  kind: 'change',
  check: ({ change, ranges }) => {
    const version = change.to;
    if (!NEW_KINDS.has(change.kind) || change.source !== 'registry' || version === undefined || semver.valid(version) === null) return [];
    if (ranges === undefined || ranges.length === 0) return [];
    // A tag (`latest`), a git URL or an override reference (`$foo`) may admit anything: stay quiet.
    if (ranges.some((range) => semver.validRange(range, { loose: true }) === null)) return [];
    if (ranges.some((range) => semver.satisfies(version, range, { loose: true, includePrerelease: true }))) return [];
    const unique = [...new Set(ranges)].sort();
    const shown = unique.slice(0, MAX_SHOWN).map((range) => `"${range}"`);
    const more = unique.length > MAX_SHOWN ? ` and ${unique.length - MAX_SHOWN} more` : '';
    return [
      {
        rule: 'lockfile-inconsistent',
        severity: 'warning',
        package: change.name,
        version,
        message:
          `${change.name}@${version} is in the lockfile, but no range that asks for ${change.name} admits it (${formatList(shown)}${more}). ` +
          'A package manager never writes such an entry, so the lockfile was edited by hand or merged badly. ' +
          'Regenerate the lockfile with the package manager and compare.',
        evidence: { ranges: unique },
      },
    ];
  },
};
