/** Flags a package installed from git, a URL or a file instead of the registry; plain HTTP is an error. */

import { describeUrl } from '../sources';
import type { EntryRule } from './types';

const KINDS: Readonly<Record<string, string>> = { git: 'a git repository', url: 'a tarball URL', file: 'a local file' };

export const nonRegistrySource: EntryRule = {
  meta: {
    id: 'non-registry-source',
    defaultSeverity: 'warning',
    description: 'A package installed from git, a tarball URL or a file instead of the registry; over plain HTTP or git:// it is an error.',
  },
  kind: 'entry',
  check: ({ entry }) => {
    const kind = KINDS[entry.source];
    if (kind === undefined) return [];
    const where = entry.resolved ?? entry.version;
    const insecure = /^(?:http|git|git\+http):\/\//i.test(where);
    const shown = describeUrl(where);
    const message = insecure
      ? `${entry.name} is downloaded from ${shown} without encryption: anyone on the network path can replace it, and no registry vouches for the bytes. ` +
        'Install it from the registry, or from an https URL with an integrity.'
      : `${entry.name} comes from ${kind} (${shown}), not from the registry: its release age, publisher and provenance cannot be checked, and its install scripts run like any other. ` +
        'Make sure the change means to depend on it, and pin it to a commit or a file you have read.';
    return [
      {
        rule: 'non-registry-source',
        severity: insecure ? 'error' : 'warning',
        package: entry.name,
        version: entry.version,
        message,
        evidence: { source: entry.source, resolved: shown },
      },
    ];
  },
};
