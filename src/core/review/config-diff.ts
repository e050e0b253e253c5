/** Compares a project's configuration at two revisions: the release-age gate, exclusions, script approvals, registries, the package manager and pins. */

import { DEFAULT_MIN_RELEASE_AGE_DAYS } from '../policy';
import { formatDays } from '../format';
import type { ConfigChange, ProjectConfig } from './types';

/** How the minimum release age moved: lowered (or removed, or set below the default), else undefined. */
export interface AgeChange {
  readonly before?: { readonly days: number; readonly origin: string };
  readonly after?: { readonly days: number; readonly origin: string };
  readonly weakens: boolean;
}

/** The project's own minimum age at each revision; undefined when it did not change. */
export function ageChange(before: ProjectConfig | undefined, after: ProjectConfig): AgeChange | undefined {
  const b = before?.minReleaseAge;
  const a = after.minReleaseAge;
  if (b?.days === a?.days) return undefined;
  // Without a setting the default applies, so removing one, or setting one below the default, weakens the gate.
  const effectiveBefore = b?.days ?? DEFAULT_MIN_RELEASE_AGE_DAYS;
  const effectiveAfter = a?.days ?? DEFAULT_MIN_RELEASE_AGE_DAYS;
  return { ...(b ? { before: b } : {}), ...(a ? { after: a } : {}), weakens: effectiveAfter < effectiveBefore };
}

/** Release-age exclusions the head revision adds. */
export function addedExclusions(before: ProjectConfig | undefined, after: ProjectConfig): string[] {
  const known = new Set(before?.minReleaseAgeExclude ?? []);
  return after.minReleaseAgeExclude.filter((pattern) => !known.has(pattern));
}

/** Install-script approvals the head revision adds, or turns from a denial into an approval. */
export function addedApprovals(before: ProjectConfig | undefined, after: ProjectConfig): string[] {
  return Object.entries(after.allowScripts)
    .filter(([key, value]) => value === true && (before === undefined || !Object.hasOwn(before.allowScripts, key) || before.allowScripts[key] !== true))
    .map(([key]) => key)
    .sort();
}

/** Registries (default `registry`, `@scope` for scoped ones) whose URL the head revision adds or changes. */
export function changedRegistries(before: ProjectConfig | undefined, after: ProjectConfig): { setting: string; before?: string; after: string }[] {
  if (before === undefined) return [];
  const changes: { setting: string; before?: string; after: string }[] = [];
  if (before.registry !== after.registry) changes.push({ setting: 'registry', before: before.registry, after: after.registry });
  for (const [scope, url] of Object.entries(after.scopes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const previous = Object.hasOwn(before.scopes, scope) ? before.scopes[scope] : undefined;
    if (previous !== url) changes.push({ setting: `${scope}:registry`, ...(previous !== undefined ? { before: previous } : {}), after: url });
  }
  return changes;
}

/** Committed package-manager code (`.yarn/releases/*`, `.yarn/plugins/*`, `.pnpmfile.cjs`) the head revision adds or changes. */
export function changedManagerCode(before: ProjectConfig | undefined, after: ProjectConfig): { path: string; added: boolean }[] {
  return Object.entries(after.managerCode)
    .filter(([path, id]) => before === undefined || before.managerCode[path] !== id)
    .map(([path]) => ({ path, added: before === undefined || !Object.hasOwn(before.managerCode, path) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `dir/file` for a path relative to the project folder. */
export function inProject(dir: string, file: string): string {
  return dir === '' ? file : `${dir}/${file}`;
}

/**
 * Every configuration difference between the revisions, weakening or not, for the report's
 * `configChanges`. `dir` is the project's folder relative to the repository root.
 */
export function diffConfigs(before: ProjectConfig | undefined, after: ProjectConfig, dir: string): ConfigChange[] {
  const changes: ConfigChange[] = [];
  const age = ageChange(before, after);
  if (age !== undefined) {
    const origin = age.after?.origin ?? age.before?.origin ?? 'minimum release age';
    const from = age.before ? formatDays(age.before.days) : `the ${formatDays(DEFAULT_MIN_RELEASE_AGE_DAYS)} default`;
    const to = age.after ? formatDays(age.after.days) : `the ${formatDays(DEFAULT_MIN_RELEASE_AGE_DAYS)} default`;
    changes.push({
      file: fileOf(origin, dir),
      setting: 'minimum release age',
      ...(age.before ? { before: String(age.before.days) } : {}),
      ...(age.after ? { after: String(age.after.days) } : {}),
      weakens: age.weakens,
      message: `The minimum release age changes from ${from} to ${to} (${origin}).`,
    });
  }
  const removedExclusions = (before?.minReleaseAgeExclude ?? []).filter((p) => !after.minReleaseAgeExclude.includes(p));
  for (const pattern of addedExclusions(before, after)) {
    changes.push(setting(fileOf(after.minReleaseAgeExcludeOrigin, dir), 'release-age exclusion', undefined, pattern, true, `Exempts ${pattern} from the waiting period.`));
  }
  for (const pattern of removedExclusions) {
    changes.push(setting(fileOf(before?.minReleaseAgeExcludeOrigin, dir), 'release-age exclusion', pattern, undefined, false, `No longer exempts ${pattern} from the waiting period.`));
  }
  const approvals = new Set(addedApprovals(before, after));
  const keys = new Set([...Object.keys(before?.allowScripts ?? {}), ...Object.keys(after.allowScripts)]);
  for (const key of [...keys].sort()) {
    const b = before !== undefined && Object.hasOwn(before.allowScripts, key) ? before.allowScripts[key] : undefined;
    const a = Object.hasOwn(after.allowScripts, key) ? after.allowScripts[key] : undefined;
    if (b === a) continue;
    const verb = a === true ? 'approves' : a === false ? 'denies' : 'no longer decides';
    changes.push(setting(fileOf(after.allowScriptsOrigin ?? before?.allowScriptsOrigin, dir), 'install-script approval', describeBool(b), describeBool(a), approvals.has(key), `The change ${verb} the install scripts of ${key}.`, key));
  }
  if ((before?.trustPolicy ?? undefined) !== after.trustPolicy && before !== undefined) {
    const weakens = before.trustPolicy !== undefined && after.trustPolicy === undefined;
    changes.push(setting(inProject(dir, 'pnpm-workspace.yaml'), 'trustPolicy', before.trustPolicy, after.trustPolicy, weakens, `pnpm trustPolicy changes from ${before.trustPolicy ?? 'off'} to ${after.trustPolicy ?? 'off'}.`));
  }
  for (const registry of changedRegistries(before, after)) {
    changes.push(setting(after.registryFile, registry.setting, registry.before, registry.after, true, `${registry.setting} changes from ${registry.before ?? 'unset'} to ${registry.after}.`));
  }
  if (before !== undefined && before.packageManager !== after.packageManager) {
    changes.push(setting(inProject(dir, 'package.json'), 'packageManager', before.packageManager, after.packageManager, false, `packageManager changes from ${before.packageManager ?? 'unset'} to ${after.packageManager ?? 'unset'}.`));
  }
  if (before?.manager !== undefined && after.manager !== undefined && before.manager !== after.manager) {
    changes.push(setting(inProject(dir, after.lockfile ?? ''), 'package manager', before.manager, after.manager, false, `The project moves from ${before.manager} (${before.lockfile ?? 'no lockfile'}) to ${after.manager} (${after.lockfile ?? 'no lockfile'}).`));
  }
  for (const code of changedManagerCode(before, after)) {
    changes.push(setting(inProject(dir, code.path), 'package-manager code', undefined, undefined, false, `${code.path} is ${code.added ? 'added' : 'changed'}: the package manager runs it.`));
  }
  for (const [name, id] of Object.entries(after.pins)) {
    if (before === undefined || before.pins[name] === id) continue;
    changes.push(setting(inProject(dir, pinFile(name)), name, undefined, undefined, false, `${name} ${Object.hasOwn(before.pins, name) ? 'changes' : 'is added'}: it decides which code is installed.`));
  }
  for (const name of Object.keys(before?.pins ?? {})) {
    if (!Object.hasOwn(after.pins, name)) changes.push(setting(inProject(dir, pinFile(name)), name, undefined, undefined, false, `${name} is removed.`));
  }
  return changes;
}

function setting(file: string, name: string, before: string | undefined, after: string | undefined, weakens: boolean, message: string, key?: string): ConfigChange {
  return {
    file,
    setting: key === undefined ? name : `${name} ${key}`,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
    weakens,
    message,
  };
}

function describeBool(value: boolean | undefined): string | undefined {
  return value === undefined ? undefined : value ? 'approved' : 'denied';
}

/** The file an origin names (`pnpm-workspace.yaml minimumReleaseAge (1440 minutes)` -> `pnpm-workspace.yaml`), in the project. */
export function fileOf(origin: string | undefined, dir: string): string {
  const first = origin?.split(/[ ,]/)[0] ?? '';
  // Origins of files in the repository are already relative to its root (see review/config-read);
  // others (`pnpm 10 default`, `environment`) name no file, and the project's package.json stands for them.
  return /[./]/.test(first) ? first : inProject(dir, 'package.json');
}

/** The file a pin name lives in: `package.json overrides` -> package.json, `patches/x.patch` -> itself. */
function pinFile(name: string): string {
  return name.split(' ')[0] ?? name;
}
