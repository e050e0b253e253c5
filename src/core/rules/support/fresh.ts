/** Decides whether a publish time is younger than the policy's minimum release age at `now`. */

import { DAY_MS } from '../../format';
import { isExcluded } from '../../history';
import type { PackageHistory, Policy } from '../../types';

export interface Freshness {
  /** `now` minus the publish time; negative when the registry's clock is ahead of ours. */
  readonly ageMs: number;
  readonly policyDays: number;
}

/**
 * The age of a fresh release, or undefined when it is old enough, its time is unknown, the policy
 * sets no minimum, or the package is in `minReleaseAgeExclude`. A release exactly the minimum age old is not fresh.
 */
export function freshness(history: PackageHistory, publishedAt: string | undefined, policy: Policy, now: Date): Freshness | undefined {
  if (publishedAt === undefined || !(policy.minReleaseAgeDays > 0)) return undefined;
  if (isExcluded(history.name, policy.minReleaseAgeExclude)) return undefined;
  const published = Date.parse(publishedAt);
  if (Number.isNaN(published)) return undefined;
  const ageMs = now.getTime() - published;
  return ageMs < policy.minReleaseAgeDays * DAY_MS ? { ageMs, policyDays: policy.minReleaseAgeDays } : undefined;
}
