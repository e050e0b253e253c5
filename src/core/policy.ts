/** Merges defaults, the project's own package-manager policy and the user's flags or settings into one Policy. */

import type { DependencyKind, FileError, Policy, SeverityLevel } from './types';

export const DEFAULT_MIN_RELEASE_AGE_DAYS = 7;
export const ALL_KINDS: readonly DependencyKind[] = ['prod', 'dev', 'optional', 'peer'];

/**
 * Policy values found in the project's package-manager configuration. Each `origin` names the file
 * and setting (`/p/.npmrc min-release-age`, `pnpm-workspace.yaml minimumReleaseAge`).
 */
export interface ProjectPolicySources {
  /** The minimum release age in days, as written. */
  readonly minReleaseAge?: { readonly value: string; readonly origin: string };
  readonly minReleaseAgeExclude?: { readonly value: readonly string[]; readonly origin: string };
  /** Install-script approvals with npm `allowScripts` semantics (package.json `allowScripts` for npm). */
  readonly allowScripts?: Readonly<Record<string, boolean>>;
  /** Where the approvals came from; default `package.json allowScripts`. */
  readonly allowScriptsOrigin?: string;
  /** What the manager does with a version younger than `minReleaseAge` ("pnpm will refuse to install it"). */
  readonly ageGate?: string;
  /** pnpm `trustPolicy: no-downgrade`, with where it is set. */
  readonly trustPolicy?: { readonly value: 'no-downgrade'; readonly origin: string };
}

/** What the user chose: CLI flags or editor settings. Each wins over the project's policy. */
export interface UserPolicySettings {
  readonly minReleaseAgeDays?: number;
  readonly severities?: Readonly<Partial<Record<string, SeverityLevel>>>;
  readonly include?: readonly DependencyKind[];
  readonly ignore?: readonly string[];
  /** False to ignore the project's own policy (its .npmrc min-release-age, for example). */
  readonly followProjectPolicy?: boolean;
}

/**
 * Builds the Policy. Precedence: user settings, then the project's policy, then defaults.
 * An unreadable project value (`min-release-age=soon`) is reported and the default is kept.
 */
export function buildPolicy(project: ProjectPolicySources, user: UserPolicySettings): { policy: Policy; errors: FileError[] } {
  const errors: FileError[] = [];
  const origins: Record<string, string> = {};
  const follow = user.followProjectPolicy !== false;

  let minReleaseAgeDays = DEFAULT_MIN_RELEASE_AGE_DAYS;
  let ageGate: string | undefined;
  origins.minReleaseAgeDays = 'default';
  if (follow && project.minReleaseAge) {
    const days = Number(project.minReleaseAge.value);
    if (project.minReleaseAge.value.trim() !== '' && Number.isFinite(days) && days >= 0) {
      minReleaseAgeDays = days;
      origins.minReleaseAgeDays = project.minReleaseAge.origin;
      ageGate = project.ageGate;
    } else {
      errors.push({
        file: project.minReleaseAge.origin.split(' ')[0],
        message: `${project.minReleaseAge.origin} must be a number of days; found "${project.minReleaseAge.value}". Using ${DEFAULT_MIN_RELEASE_AGE_DAYS} days.`,
      });
    }
  }
  if (user.minReleaseAgeDays !== undefined) {
    minReleaseAgeDays = user.minReleaseAgeDays;
    origins.minReleaseAgeDays = 'user setting';
    // The manager still applies its own age, which may differ: only claim its gate for its own figure.
    ageGate = undefined;
  }
  const trustPolicy = follow ? project.trustPolicy : undefined;
  if (trustPolicy) origins.trustPolicy = trustPolicy.origin;

  const exclude = follow && project.minReleaseAgeExclude ? project.minReleaseAgeExclude.value : [];
  if (exclude.length > 0 && project.minReleaseAgeExclude) origins.minReleaseAgeExclude = project.minReleaseAgeExclude.origin;

  const allowScripts = follow ? project.allowScripts ?? {} : {};
  if (Object.keys(allowScripts).length > 0) origins.allowScripts = project.allowScriptsOrigin ?? 'package.json allowScripts';

  return {
    policy: {
      minReleaseAgeDays,
      minReleaseAgeExclude: [...exclude],
      allowScripts,
      severities: { ...(user.severities ?? {}) },
      include: [...(user.include ?? ALL_KINDS)],
      ignore: [...(user.ignore ?? [])],
      origins,
      ...(ageGate ? { ageGate } : {}),
      ...(trustPolicy ? { trustPolicy: trustPolicy.value } : {}),
    },
    errors,
  };
}

/** Is this finding silenced by one of the policy's ignore entries (`rule:pkg@version`, `rule:pkg`, `pkg@version`, `pkg`)? */
export function isIgnored(policy: Policy, rule: string, name: string, version: string): boolean {
  return policy.ignore.some(
    (entry) => entry === `${rule}:${name}@${version}` || entry === `${rule}:${name}` || entry === `${name}@${version}` || entry === name,
  );
}
