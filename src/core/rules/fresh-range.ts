/** Flags a declared range that lets a fresh install take a newer version younger than the release-age policy. */

import semver from 'semver';
import { formatAge, formatDays, toHours } from '../format';
import { findVersion } from '../history';
import type { PackageHistory, Rule, VersionFacts } from '../types';
import { freshness } from './support/fresh';

/**
 * The version npm would install for `range` today, as npm-pick-manifest chooses it: a dist-tag names
 * its version; otherwise `latest` when the range admits it, else the highest admitted version
 * (prereleases only when the range asks for them). Deprecation and engines preferences are left out.
 */
function pickVersion(history: PackageHistory, range: string): VersionFacts | undefined {
  if (Object.hasOwn(history.distTags, range)) return findVersion(history, history.distTags[range] ?? '');
  if (semver.validRange(range) === null) return undefined;
  const latest = history.distTags.latest;
  if (latest !== undefined && semver.satisfies(latest, range)) {
    const facts = findVersion(history, latest);
    if (facts !== undefined) return facts;
  }
  const best = semver.maxSatisfying(history.versions.map((v) => v.version), range);
  return best === null ? undefined : findVersion(history, best);
}

export const freshRange: Rule = {
  meta: {
    id: 'fresh-range',
    defaultSeverity: 'info',
    description: 'The declared range admits a newer version that is younger than the release-age policy.',
  },
  check: ({ history, version, range, policy, now }) => {
    if (range === undefined || semver.valid(version) === null) return [];
    const picked = pickVersion(history, range);
    if (picked === undefined || !semver.gt(picked.version, version)) return [];
    const fresh = freshness(history, picked.publishedAt, policy, now);
    if (fresh === undefined || picked.publishedAt === undefined) return [];
    const days = formatDays(fresh.policyDays);
    return [
      {
        rule: 'fresh-range',
        severity: 'info',
        package: history.name,
        version,
        message:
          `The range ${JSON.stringify(range)} for ${history.name} admits ${picked.version}, published ${formatAge(fresh.ageMs)} (policy: ${days}); ` +
          `an install without the lockfile or \`npm update\` would take it instead of ${version}. ` +
          `Install from the lockfile (\`npm ci\`) and hold updates, or pin ${version}, until ${picked.version} is ${days} old.`,
        evidence: {
          range,
          freshVersion: picked.version,
          publishedAt: picked.publishedAt,
          ageHours: toHours(fresh.ageMs),
          policyDays: fresh.policyDays,
          latest: history.distTags.latest ?? null,
        },
      },
    ];
  },
};
