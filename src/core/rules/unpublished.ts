/** Flags a version that the registry no longer has: removed, unpublished with its package, or replaced by npm security. */

import { findVersion } from '../history';
import type { Finding, Rule } from '../types';

/** The version npm's security team publishes in place of a malicious package. */
const SECURITY_PLACEHOLDER = '0.0.1-security';
/** At most this many versions go into evidence. */
const MAX_LISTED = 20;

export const unpublished: Rule = {
  meta: {
    id: 'unpublished',
    defaultSeverity: 'warning',
    description: 'The version is no longer in the registry (removed, unpublished, or replaced by a security placeholder).',
  },
  check: ({ history, version }) => {
    const name = history.name;
    const facts = findVersion(history, version);
    const onlyPlaceholder = history.versions.length === 1 && history.versions[0]?.version === SECURITY_PLACEHOLDER;
    if (onlyPlaceholder && (facts === undefined || version === SECURITY_PLACEHOLDER)) {
      const finding: Finding = {
        rule: 'unpublished',
        severity: 'error',
        package: name,
        version,
        message:
          `${name}@${version} is no longer installable: npm's security team replaced ${name} with the ${SECURITY_PLACEHOLDER} placeholder, which it does to packages removed as malicious. ` +
          `Remove ${name}, and treat machines that installed it as exposed: rotate the credentials they held.`,
        evidence: { placeholder: SECURITY_PLACEHOLDER, removedVersions: history.removed.slice(-MAX_LISTED).map((r) => r.version) },
      };
      return [finding];
    }
    if (facts !== undefined) return [];

    const whole = history.unpublished;
    if (whole !== undefined) {
      const when = whole.at === '' ? '' : ` on ${whole.at.slice(0, 10)}`;
      const finding: Finding = {
        rule: 'unpublished',
        severity: 'warning',
        package: name,
        version,
        message:
          `${name} was unpublished from the registry${when}, so ${name}@${version} can no longer be installed. ` +
          'Replace the dependency; the registry does not say why it was removed, so find out before trusting any copy you still have.',
        evidence: { unpublishedAt: whole.at === '' ? null : whole.at, versions: whole.versions.slice(-MAX_LISTED) },
      };
      return [finding];
    }

    const removed = history.removed.find((r) => r.version === version);
    if (removed === undefined) return [];
    const finding: Finding = {
      rule: 'unpublished',
      severity: 'warning',
      package: name,
      version,
      message:
        `${name}@${version}, published ${removed.publishedAt.slice(0, 10)}, has been removed from the registry. ` +
        'Move to another version and find out why it was removed: removed releases are often malicious ones, and installs that still name it will fail.',
      evidence: { publishedAt: removed.publishedAt },
    };
    return [finding];
  },
};
