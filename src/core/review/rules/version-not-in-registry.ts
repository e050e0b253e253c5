/** Flags a locked version that the registry has never published (a removed one is `unpublished`'s). */

import { findVersion } from '../../history';
import { describeUrl } from '../sources';
import type { EntryRule } from './types';

export const versionNotInRegistry: EntryRule = {
  meta: {
    id: 'version-not-in-registry',
    defaultSeverity: 'error',
    description: 'The lockfile names a version of a registry package that the registry has never published.',
  },
  kind: 'entry',
  check: ({ entry, history }) => {
    if (history === undefined || entry.source !== 'registry' || history.unpublished !== undefined) return [];
    if (findVersion(history, entry.version) !== undefined || history.removed.some((r) => r.version === entry.version)) return [];
    const latest = Object.hasOwn(history.distTags, 'latest') ? history.distTags.latest : undefined;
    const name = `${entry.name}@${entry.version}`;
    return [
      {
        rule: 'version-not-in-registry',
        severity: 'error',
        package: entry.name,
        version: entry.version,
        message:
          `${name} is not a version the registry has ever published${latest === undefined ? '' : ` (the latest is ${latest})`}, so no package manager resolved it there: ` +
          'the entry was written by hand or comes from another registry. Find out where it comes from before installing, and lock a published version.',
        evidence: { latest: latest ?? null, ...(entry.resolved !== undefined ? { resolved: describeUrl(entry.resolved) } : {}) },
      },
    ];
  },
};
