/** Flags a version with weaker publish trust (staged, trusted publisher, provenance) than an earlier release had. */

import { findVersion, isPrerelease, trustLevel, trustRank } from '../history';
import type { EvidenceValue, Rule, TrustLevel, VersionFacts } from '../types';

const DESCRIBE: Readonly<Record<TrustLevel, string>> = {
  none: 'no provenance',
  provenance: 'a provenance attestation',
  'trusted-publisher': 'trusted publishing with provenance',
  staged: 'a staged publish with an approver',
};

export const provenanceDropped: Rule = {
  meta: {
    id: 'provenance-dropped',
    defaultSeverity: 'warning',
    description: 'Published with weaker trust evidence than an earlier release (pnpm trustPolicy: no-downgrade).',
  },
  check: ({ history, version, policy }) => {
    const facts = findVersion(history, version);
    const publishedAt = facts?.publishedAt;
    if (facts === undefined || publishedAt === undefined) return [];
    const level = trustLevel(facts);
    const pre = isPrerelease(version);
    // As pnpm does: only releases published strictly before this one, prereleases only when this is one.
    let strongest: VersionFacts | undefined;
    for (const candidate of history.versions) {
      if (candidate.publishedAt === undefined || candidate.publishedAt >= publishedAt) continue;
      if (!pre && isPrerelease(candidate.version)) continue;
      // `>=` keeps the most recent of equally strong releases: the one a reader will recognise.
      if (strongest === undefined || trustRank(trustLevel(candidate)) >= trustRank(trustLevel(strongest))) strongest = candidate;
    }
    if (strongest === undefined) return [];
    const before = trustLevel(strongest);
    if (trustRank(before) <= trustRank(level)) return [];

    const repository = facts.repository ?? strongest.repository;
    const evidence: Record<string, EvidenceValue> = {
      trustLevel: level,
      previousVersion: strongest.version,
      previousTrustLevel: before,
    };
    if (strongest.publishedAt !== undefined) evidence.previousPublishedAt = strongest.publishedAt;
    if (repository !== undefined) evidence.repository = repository;
    return [
      {
        rule: 'provenance-dropped',
        // With pnpm's trustPolicy the install itself will fail: an error, as the project asked.
        severity: policy.trustPolicy === 'no-downgrade' ? 'error' : 'warning',
        package: history.name,
        version,
        message:
          `${history.name}@${version} was published with ${DESCRIBE[level]}, but ${strongest.version}, published before it, had ${DESCRIBE[before]}` +
          `${policy.trustPolicy === 'no-downgrade' ? ' (pnpm will refuse to install it: trustPolicy no-downgrade)' : ''}. ` +
          'A release that skips the usual publishing pipeline can mean a stolen token: check it against the repository and its CI runs before installing, ' +
          `or stay on ${strongest.version}.`,
        evidence,
      },
    ];
  },
};
