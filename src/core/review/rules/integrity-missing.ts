/** Flags a registry package whose lockfile entry records no integrity, so nothing checks the download. */

import { describeUrl } from '../sources';
import type { EntryRule } from './types';

export const integrityMissing: EntryRule = {
  meta: {
    id: 'integrity-missing',
    defaultSeverity: 'warning',
    description: 'A registry package whose lockfile entry has no integrity hash.',
  },
  kind: 'entry',
  check: ({ entry, format }) => {
    // Yarn Berry records its own archive checksum instead of the registry's integrity; bundled
    // packages are verified as part of their parent's tarball.
    if (format === 'yarn-berry' || entry.source !== 'registry' || entry.integrity !== undefined || entry.inBundle === true) return [];
    const name = `${entry.name}@${entry.version}`;
    return [
      {
        rule: 'integrity-missing',
        severity: 'warning',
        package: entry.name,
        version: entry.version,
        message:
          `${name} has no integrity in the lockfile, so nothing checks that the tarball downloaded is the one the registry published. ` +
          `Regenerate the entry with the package manager (reinstall ${name}) so that it records one.`,
        evidence: { resolved: entry.resolved === undefined ? null : describeUrl(entry.resolved) },
      },
    ];
  },
};
