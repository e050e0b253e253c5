/** Flags a change that relaxes the project's own policy: a lower age gate, a new exclusion or script approval, another registry. */

import { formatDays, formatList } from '../../format';
import { isExcluded } from '../../history';
import { DEFAULT_MIN_RELEASE_AGE_DAYS } from '../../policy';
import type { Finding, Severity } from '../../types';
import { allowScriptsVerdict } from '../../rules/support/allow-scripts';
import { addedApprovals, addedExclusions, ageChange, changedRegistries, fileOf, inProject } from '../config-diff';
import type { PackageChange } from '../types';
import type { ConfigRule } from './types';

const NEW_KINDS = new Set(['added', 'added-alongside', 'upgraded', 'downgraded', 'changed']);

export const policyWeakened: ConfigRule = {
  meta: {
    id: 'policy-weakened',
    defaultSeverity: 'warning',
    description: 'The change lowers or removes the release-age gate, adds an exclusion or a script approval, or changes a registry.',
  },
  kind: 'config',
  check: ({ before, after, dir, changes }) => {
    if (before === undefined) return [];
    const incoming = changes.filter((c) => NEW_KINDS.has(c.kind) && c.to !== undefined);
    const findings: Finding[] = [];
    const keep = "This review keeps the base revision's policy; once merged, the new one applies to every later install.";

    const age = ageChange(before, after);
    if (age?.weakens === true) {
      const origin = age.after?.origin ?? age.before?.origin ?? 'minimum release age';
      const file = fileOf(origin, dir);
      const from = age.before ? formatDays(age.before.days) : `the ${formatDays(DEFAULT_MIN_RELEASE_AGE_DAYS)} default`;
      const to = age.after ? formatDays(age.after.days) : `the ${formatDays(DEFAULT_MIN_RELEASE_AGE_DAYS)} default`;
      const together = incoming.length > 0 ? ` in the same change that brings in ${count(incoming.length, 'new version')}` : '';
      findings.push(
        finding(incoming.length > 0 ? 'error' : 'warning', file, '', `${file}: the minimum release age goes from ${from} to ${to}${together}. ${keep} Keep the waiting period unless the project decided otherwise.`, {
          setting: origin,
          before: age.before?.days ?? null,
          after: age.after?.days ?? null,
        }),
      );
    }

    for (const pattern of addedExclusions(before, after)) {
      const file = fileOf(after.minReleaseAgeExcludeOrigin, dir);
      const matched = incoming.filter((c) => exclusionMatches(pattern, c));
      const first = matched[0];
      const subject = first === undefined ? 'future versions of that package' : formatList(matched.map((c) => `${c.name}@${c.to ?? ''}`));
      const together = first === undefined ? '' : ', which this same change brings in: the change exempts its own packages from the waiting period';
      findings.push(
        finding(first === undefined ? 'warning' : 'error', first?.name ?? file, first?.to ?? '', `${file}: a new release-age exclusion "${pattern}" lets ${subject} skip the waiting period${together}. ${keep}`, {
          setting: after.minReleaseAgeExcludeOrigin ?? 'minimum release age exclusions',
          pattern,
        }),
      );
    }

    for (const key of addedApprovals(before, after)) {
      const file = fileOf(after.allowScriptsOrigin, dir);
      const matched = incoming.filter((c) => allowScriptsVerdict({ [key]: true }, c.name, c.to ?? '')?.verdict === 'approved');
      const first = matched[0];
      const together = first === undefined ? '' : `, together with ${formatList(matched.map((c) => `${c.name}@${c.to ?? ''}`))} in this same change`;
      findings.push(
        finding(first === undefined ? 'warning' : 'error', first?.name ?? file, first?.to ?? '', `${file}: the change approves the install scripts of "${key}"${together}. ${keep} Read the scripts before approving them.`, {
          setting: after.allowScriptsOrigin ?? 'install-script approvals',
          approval: key,
        }),
      );
    }

    if (before.trustPolicy !== undefined && after.trustPolicy === undefined) {
      const file = inProject(dir, 'pnpm-workspace.yaml');
      findings.push(finding('warning', file, '', `${file}: the change turns off pnpm's trustPolicy (${before.trustPolicy}), so pnpm will install versions with weaker trust evidence than earlier ones. ${keep}`, { setting: 'trustPolicy', before: before.trustPolicy }));
    }

    for (const registry of changedRegistries(before, after)) {
            findings.push(
        finding(
          'warning',
          after.registryFile,
          '',
          `${after.registryFile}: ${registry.setting} changes from ${registry.before ?? 'unset'} to ${registry.after}: packages would come from another server. ` +
            "This review asked the base revision's registry, never the new one, and sent no credentials there; make sure the new registry is the project's own.",
          { setting: registry.setting, before: registry.before ?? null, after: registry.after },
        ),
      );
    }
    return findings;
  },
};

/** Does an exclusion pattern (`foo`, `@org/*`, `foo@1.2.5`) cover the version a change brings in? */
function exclusionMatches(pattern: string, change: PackageChange): boolean {
  const at = pattern.lastIndexOf('@');
  const name = at > 0 ? pattern.slice(0, at) : pattern;
  const version = at > 0 ? pattern.slice(at + 1) : undefined;
  return isExcluded(change.name, [name]) && (version === undefined || version === change.to);
}

function finding(severity: Severity, pkg: string, version: string, message: string, evidence: Finding['evidence']): Finding {
  return { rule: 'policy-weakened', severity, package: pkg, version, message, evidence };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
