/** Flags a version that stays the same while its lockfile entry now points at another host, path or kind of source. */

import { describeUrl } from '../sources';
import type { EntrySource } from '../types';
import type { ChangeRule } from './types';

export const lockfileSourceChanged: ChangeRule = {
  meta: {
    id: 'lockfile-source-changed',
    defaultSeverity: 'error',
    description: 'The same name@version now comes from another host, path or kind of source in the lockfile.',
  },
  kind: 'change',
  check: ({ change }) => {
    if (change.kind !== 'source-changed' || change.to === undefined) return [];
    const before = describe(change.before);
    const after = describe(change.after);
    const name = `${change.name}@${change.to}`;
    return [
      {
        rule: 'lockfile-source-changed',
        severity: 'error',
        package: change.name,
        version: change.to,
        message:
          `${name} now comes from ${after} instead of ${before}, with the version unchanged. ` +
          'Pointing an existing version at another tarball is how a dependency is swapped without a version bump, and reviewers rarely read lockfile URLs. ' +
          'Restore the previous entry, unless the project has moved to another registry.',
        evidence: { before, after },
      },
    ];
  },
};

function describe(side: EntrySource | undefined): string {
  if (side === undefined) return 'an unknown source';
  if (side.resolved !== undefined) return describeUrl(side.resolved);
  return side.source === 'registry' ? 'the configured registry' : side.source;
}
