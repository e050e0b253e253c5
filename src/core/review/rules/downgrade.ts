/** Flags a package that the change moves to a lower version. */

import type { ChangeRule } from './types';

export const downgrade: ChangeRule = {
  meta: {
    id: 'downgrade',
    defaultSeverity: 'warning',
    description: 'A package moves to a lower version than the one it replaces.',
  },
  kind: 'change',
  check: ({ change }) => {
    if (change.kind !== 'downgraded' || change.from === undefined || change.to === undefined) return [];
    const level = change.level === undefined ? '' : ` (${change.level} downgrade)`;
    return [
      {
        rule: 'downgrade',
        severity: 'warning',
        package: change.name,
        version: change.to,
        message:
          `${change.name} goes back from ${change.from} to ${change.to}${level}. ` +
          'A downgrade can bring back fixed bugs and vulnerabilities, and a hand-edited lockfile often shows up as one. ' +
          'Keep it only if the change means it (for example to leave a broken or compromised release).',
        evidence: { from: change.from, level: change.level ?? null },
      },
    ];
  },
};
