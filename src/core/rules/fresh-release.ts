/** Flags a version published more recently than the policy's minimum release age. */

import { formatAge, formatDays, toHours } from '../format';
import { findVersion } from '../history';
import type { Rule } from '../types';
import { freshness } from './support/fresh';

export const freshRelease: Rule = {
  meta: {
    id: 'fresh-release',
    defaultSeverity: 'warning',
    description: 'Published more recently than the release-age policy allows.',
  },
  check: ({ history, version, policy, now }) => {
    const publishedAt = findVersion(history, version)?.publishedAt;
    const fresh = freshness(history, publishedAt, policy, now);
    if (publishedAt === undefined || fresh === undefined) return [];
    const days = formatDays(fresh.policyDays);
    return [
      {
        rule: 'fresh-release',
        severity: 'warning',
        package: history.name,
        version,
        message:
          `${history.name}@${version} was published ${formatAge(fresh.ageMs)} (policy: ${days}${policy.ageGate ? `; ${policy.ageGate}` : ''}). ` +
          `Wait until it is ${days} old or stay on the version you had: hijacked releases are usually found and removed within days.`,
        evidence: { publishedAt, ageHours: toHours(fresh.ageMs), policyDays: fresh.policyDays, ...(policy.ageGate ? { gate: policy.ageGate } : {}) },
      },
    ];
  },
};
