/** Flags a lockfile entry whose integrity is not the one the registry publishes for that version. */

import { findVersion } from '../../history';
import { compareIntegrity, describeIntegrity, describeUrl } from '../sources';
import type { EntryRule } from './types';

export const integrityMismatch: EntryRule = {
  meta: {
    id: 'integrity-mismatch',
    defaultSeverity: 'error',
    description: "The lockfile's integrity for a version is not the registry's dist.integrity for it.",
  },
  kind: 'entry',
  check: ({ entry, history }) => {
    // Bundled packages ship inside their parent's tarball and have no integrity of their own; Yarn
    // Berry writes its own archive checksum, which is not the registry's integrity (never compared).
    if (history === undefined || entry.source !== 'registry' || entry.integrity === undefined || entry.inBundle === true) return [];
    const facts = findVersion(history, entry.version);
    if (facts?.integrity === undefined) return [];
    if (compareIntegrity(entry.integrity, facts.integrity) !== 'different') return [];
    const name = `${entry.name}@${entry.version}`;
    const where = entry.resolved === undefined ? '' : ` from ${describeUrl(entry.resolved)}`;
    return [
      {
        rule: 'integrity-mismatch',
        severity: 'error',
        package: entry.name,
        version: entry.version,
        message:
          `${name}: the lockfile's integrity (${describeIntegrity(entry.integrity)}) is not the one the registry publishes for this version (${describeIntegrity(facts.integrity)}). ` +
          `The package manager checks the download against the lockfile, so the install either fails or takes bytes the registry never published${where}. ` +
          `Restore the entry from the registry (reinstall ${name}) and find out who changed it.`,
        evidence: {
          lockfileIntegrity: entry.integrity,
          registryIntegrity: facts.integrity,
          ...(entry.resolved !== undefined ? { resolved: describeUrl(entry.resolved) } : {}),
        },
      },
    ];
  },
};
