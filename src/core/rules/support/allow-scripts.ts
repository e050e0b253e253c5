/** Matches a package version against npm's `allowScripts` entries from package.json; a denial always wins. */

import semver from 'semver';

export interface ScriptApproval {
  readonly verdict: 'approved' | 'denied';
  /** The allowScripts key that decided, e.g. `esbuild`, `esbuild@0.25.0`, `esbuild@^0.25`. */
  readonly key: string;
}

function keyMatches(key: string, name: string, version: string): boolean {
  if (key === name) return true;
  if (!key.startsWith(`${name}@`) || semver.valid(version) === null) return false;
  const spec = key.slice(name.length + 1);
  if (semver.valid(spec) !== null) return semver.eq(spec, version);
  return semver.validRange(spec) !== null && semver.satisfies(version, spec);
}

/**
 * What the project's `allowScripts` says about `name@version`: keys are `name`, `name@version` or
 * `name@range`, values true (approve) or false (deny). Like npm, any matching `false` wins, so a pinned
 * approval never re-allows a package the project denied. Undefined when no key matches.
 */
export function allowScriptsVerdict(allowScripts: Readonly<Record<string, boolean>>, name: string, version: string): ScriptApproval | undefined {
  let approval: ScriptApproval | undefined;
  for (const [key, value] of Object.entries(allowScripts)) {
    if (typeof value !== 'boolean' || !keyMatches(key, name, version)) continue;
    if (!value) return { verdict: 'denied', key };
    approval ??= { verdict: 'approved', key };
  }
  return approval;
}
