/** Reads pnpm's release-age, trust and build-script policy from pnpm-workspace.yaml and package.json's `pnpm` field. */

import type { FileError } from '../types';
import { loadParsers } from './load-parsers';
import { quote } from './npm-entry';
import { createReporter, plain } from './pnpm-report';
import type { ManagerPolicy, Sourced } from './types';
import { createYamlReader, parseYaml } from './pnpm-yaml';

export interface PnpmPolicyFiles {
  /** pnpm-workspace.yaml at the workspace root. */
  readonly workspaceYaml?: { readonly file: string; readonly text: string };
  /** The root package.json: its text, or its already parsed `pnpm` field (and `packageManager`). */
  readonly packageJson?: { readonly file: string; readonly text?: string; readonly pnpm?: unknown; readonly packageManager?: string };
  /** The `packageManager` field (`pnpm@10.5.0+sha512…`), when not given through packageJson. */
  readonly packageManager?: string;
}

/** A setting's value, reduced to what the policy needs. `boolean` is set for a real boolean (YAML: a plain `true`/`false`). */
type Value =
  | { readonly kind: 'text'; readonly text: string; readonly boolean?: boolean }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [string, boolean | undefined])[] }
  | { readonly kind: 'other' };

/** One file's settings, and the origin each one gets in messages (`pnpm-workspace.yaml minimumReleaseAge`). */
interface Settings {
  readonly file: string;
  readonly origin: (key: string) => string;
  readonly get: (key: string) => Value | undefined;
}

/** pnpm reads these only from pnpm-workspace.yaml (pnpm 10 also from .npmrc), never from package.json. */
const WORKSPACE_ONLY = ['minimumReleaseAge', 'minimumReleaseAgeExclude', 'trustPolicy'];
const BUILD_KEYS = ['onlyBuiltDependencies', 'ignoredBuiltDependencies', 'neverBuiltDependencies', 'allowBuilds', 'dangerouslyAllowAllBuilds'];
const MINUTES_PER_DAY = 1440;

/**
 * The policy pnpm applies, from pnpm-workspace.yaml and package.json's `pnpm` field. Pure: reads only
 * the given texts, and never throws; problems become `errors` naming the file.
 *
 * - `minimumReleaseAge` (minutes) becomes days. When it is unset and `packageManager` names pnpm 11 or
 *   later, pnpm's default of 1440 minutes is reported (origin `pnpm 11 default`); without a
 *   `packageManager` the major version is unknown, so it stays undefined.
 * - Build approvals become npm `allowScripts` keys: `onlyBuiltDependencies` and `allowBuilds: true`
 *   give true; `neverBuiltDependencies`, `ignoredBuiltDependencies` and `allowBuilds: false` give false.
 *   Within one file a denial wins; pnpm-workspace.yaml wins over package.json.
 * - `scriptsBlockedByDefault` is false with `dangerouslyAllowAllBuilds` or with only a
 *   `neverBuiltDependencies` denylist; else true for pnpm 10 and later or when an allowlist is set;
 *   else false for a known pnpm before 10, and undefined when nothing tells.
 * - pnpm 11 and later do not read package.json's `pnpm` field: with such a `packageManager` its
 *   settings are reported and ignored. `minimumReleaseAge`, `minimumReleaseAgeExclude` and
 *   `trustPolicy` there are reported as ignored by any pnpm.
 * Not read: `.npmrc` (pnpm 10's `minimum-release-age`), `onlyBuiltDependenciesFile`, `trustPolicyExclude`.
 */
export async function readPnpmPolicy(files: PnpmPolicyFiles): Promise<ManagerPolicy> {
  const errors: FileError[] = [];
  const json = files.packageJson ? readPackageJson(files.packageJson, errors) : undefined;
  const major = pnpmMajor(files.packageManager ?? json?.packageManager);
  const yaml = files.workspaceYaml ? await readWorkspaceYaml(files.workspaceYaml.file, files.workspaceYaml.text, errors) : undefined;
  let pkg = json?.settings;
  if (pkg) {
    const present = [...WORKSPACE_ONLY, ...BUILD_KEYS].filter((k) => pkg?.get(k) !== undefined);
    if (major !== undefined && major >= 11 && present.length > 0) {
      const keys = present.map((k) => `pnpm.${k}`).join(', ');
      errors.push({ file: pkg.file, message: `${pkg.file} sets ${keys}, which pnpm ${major} does not read (it reads settings from pnpm-workspace.yaml); they were ignored. Move them to pnpm-workspace.yaml.` });
      pkg = undefined;
    } else {
      for (const key of WORKSPACE_ONLY.filter((k) => pkg?.get(k) !== undefined)) {
        errors.push({ file: pkg.file, message: `${pkg.file} sets pnpm.${key}, which pnpm does not read from package.json; it was ignored. Move it to pnpm-workspace.yaml.` });
      }
    }
  }
  const policy: { -readonly [K in keyof ManagerPolicy]: ManagerPolicy[K] } = { manager: 'pnpm', errors };
  const age = yaml && minimumReleaseAge(yaml, errors);
  if (age) policy.minReleaseAgeDays = age;
  else if (major !== undefined && major >= 11) policy.minReleaseAgeDays = { value: 1, origin: `pnpm ${major} default` };
  const exclude = yaml && releaseAgeExclude(yaml, errors);
  if (exclude) policy.minReleaseAgeExclude = exclude;
  const trust = yaml && trustPolicy(yaml, errors);
  if (trust) policy.trustPolicy = trust;
  const approvals = scriptApprovals([pkg, yaml]);
  if (approvals) policy.scriptApprovals = approvals;
  const blocked = scriptsBlocked([yaml, pkg], major);
  if (blocked) policy.scriptsBlockedByDefault = blocked;
  return policy;
}

/** `pnpm@10.5.0+sha512…` -> 10; undefined for another manager or a malformed field. */
function pnpmMajor(packageManager: unknown): number | undefined {
  const match = typeof packageManager === 'string' ? /^pnpm@v?(\d+)\./.exec(packageManager.trim()) : null;
  return match ? Number(match[1]) : undefined;
}

function minimumReleaseAge(yaml: Settings, errors: FileError[]): Sourced<number> | undefined {
  const value = yaml.get('minimumReleaseAge');
  if (value === undefined) return undefined;
  if (value.kind === 'text' && /^\d+(?:\.\d+)?$/.test(value.text)) {
    return { value: Number(value.text) / MINUTES_PER_DAY, origin: `${yaml.origin('minimumReleaseAge')} (${value.text} minutes)` };
  }
  const shown = value.kind === 'text' ? ` ${quote(value.text)}` : '';
  errors.push({ file: yaml.file, message: `${yaml.origin('minimumReleaseAge')}${shown} is not a number of minutes; it was ignored.` });
  return undefined;
}

function releaseAgeExclude(yaml: Settings, errors: FileError[]): Sourced<readonly string[]> | undefined {
  const value = yaml.get('minimumReleaseAgeExclude');
  if (value === undefined) return undefined;
  if (value.kind === 'list') return { value: value.items, origin: yaml.origin('minimumReleaseAgeExclude') };
  errors.push({ file: yaml.file, message: `${yaml.origin('minimumReleaseAgeExclude')} is not a list of package names or patterns; it was ignored.` });
  return undefined;
}

function trustPolicy(yaml: Settings, errors: FileError[]): Sourced<'no-downgrade'> | undefined {
  const value = yaml.get('trustPolicy');
  if (value === undefined || (value.kind === 'text' && value.text === 'off')) return undefined;
  if (value.kind === 'text' && value.text === 'no-downgrade') return { value: 'no-downgrade', origin: yaml.origin('trustPolicy') };
  const shown = value.kind === 'text' ? ` ${quote(value.text)}` : '';
  errors.push({ file: yaml.file, message: `${yaml.origin('trustPolicy')}${shown} is neither "no-downgrade" nor "off"; it was ignored.` });
  return undefined;
}

/** Approvals merged over the given settings in order (later files win); within one file a denial wins. */
function scriptApprovals(sources: readonly (Settings | undefined)[]): Sourced<Readonly<Record<string, boolean>>> | undefined {
  const merged = new Map<string, boolean>();
  const origins: string[] = [];
  for (const settings of sources) {
    if (!settings) continue;
    const own = new Map<string, boolean>();
    const decide = (name: string, allowed: boolean): void => {
      if (own.get(name) !== false) own.set(name, allowed);
    };
    for (const [key, allowed] of [
      ['onlyBuiltDependencies', true],
      ['ignoredBuiltDependencies', false],
      ['neverBuiltDependencies', false],
    ] as const) {
      const value = settings.get(key);
      if (value?.kind !== 'list') continue;
      origins.push(settings.origin(key));
      for (const name of value.items) decide(name, allowed);
    }
    const builds = settings.get('allowBuilds');
    if (builds?.kind === 'map') {
      origins.push(settings.origin('allowBuilds'));
      for (const [name, allowed] of builds.entries) if (allowed !== undefined) decide(name, allowed);
    }
    for (const [name, allowed] of own) merged.set(name, allowed);
  }
  // Object.fromEntries defines own properties, so a `__proto__` name stays a plain key.
  return origins.length > 0 ? { value: Object.fromEntries(merged), origin: origins.join(', ') } : undefined;
}

function scriptsBlocked(sources: readonly (Settings | undefined)[], major: number | undefined): Sourced<boolean> | undefined {
  const find = (key: string, test: (v: Value) => boolean): string | undefined => {
    for (const settings of sources) {
      const value = settings?.get(key);
      if (settings && value !== undefined && test(value)) return settings.origin(key);
    }
    return undefined;
  };
  const allowAll = find('dangerouslyAllowAllBuilds', (v) => v.kind === 'text' && v.boolean === true);
  if (allowAll) return { value: false, origin: allowAll };
  const allowlist = find('onlyBuiltDependencies', (v) => v.kind === 'list') ?? find('allowBuilds', (v) => v.kind === 'map');
  const denylist = find('neverBuiltDependencies', (v) => v.kind === 'list');
  // With only a denylist, pnpm 10 builds everything else, as every pnpm did before 10.
  if (denylist && !allowlist) return { value: false, origin: denylist };
  if (major !== undefined && major >= 10) return { value: true, origin: `pnpm ${major} default` };
  if (allowlist) return { value: true, origin: allowlist };
  return major !== undefined ? { value: false, origin: `pnpm ${major} default` } : undefined;
}

async function readWorkspaceYaml(file: string, text: string, errors: FileError[]): Promise<Settings | undefined> {
  const report = createReporter(file, text, 'fix the file');
  try {
    const parsers = await loadParsers();
    const parsed = parseYaml(parsers, text);
    const first = parsed.errors[0];
    if (first) {
      const at = report.locate(first.span);
      report.error(`${report.name} is not valid YAML: ${plain(first.message)} at line ${at.line}, column ${at.column}; the settings that could be read were used.`, first.span);
    }
    const y = createYamlReader(parsers);
    const settings = new Map<string, Value>();
    for (const { key, value } of y.entriesOf(parsed.documents[0]?.contents)) {
      const text = y.textOf(value);
      if (text !== undefined) settings.set(key, { kind: 'text', text, boolean: y.booleanOf(value) });
      else if (y.isSeqNode(value)) settings.set(key, { kind: 'list', items: y.stringsOf(value) });
      else if (y.isMapNode(value)) {
        const entries = y.entriesOf(value).map((e) => [e.key, y.booleanOf(e.value)] as const);
        if (key === 'allowBuilds') {
          for (const [name, allowed] of entries) {
            if (allowed === undefined) report.error(`${report.name} allowBuilds ${quote(name)} is neither true nor false, so pnpm takes no decision from it; it was ignored.`);
          }
        }
        settings.set(key, { kind: 'map', entries });
      } else settings.set(key, { kind: 'other' });
    }
    if (y.sawAlias) report.error(`${report.name} uses YAML aliases (\`*name\`); the values they stand for were ignored.`);
    errors.push(...report.errors());
    return { file, origin: (key) => `${file} ${key}`, get: (key) => settings.get(key) };
  } catch (error) {
    // The YAML composer recurses once per nesting level, so absurdly deep nesting overflows the stack.
    const reason = error instanceof Error ? error.message : String(error);
    errors.push(...report.errors(), { file, message: `${file} could not be read (${reason.slice(0, 160)}); its settings were not used.` });
    return undefined;
  }
}

function readPackageJson(input: NonNullable<PnpmPolicyFiles['packageJson']>, errors: FileError[]): { settings?: Settings; packageManager?: unknown } | undefined {
  let field = input.pnpm;
  let packageManager: unknown = input.packageManager;
  if (input.text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(input.text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      errors.push({ file: input.file, message: `${input.file} is not valid JSON (${plain(reason)}); its pnpm settings were not used.` });
      return undefined;
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      field ??= own(parsed, 'pnpm');
      packageManager ??= own(parsed, 'packageManager');
    }
  }
  if (!field || typeof field !== 'object' || Array.isArray(field)) return { packageManager };
  const get = (key: string): Value | undefined => {
    const value = own(field, key);
    if (value === undefined) return undefined;
    if (typeof value === 'string' || typeof value === 'number') return { kind: 'text', text: String(value) };
    if (typeof value === 'boolean') return { kind: 'text', text: String(value), boolean: value };
    if (Array.isArray(value)) return { kind: 'list', items: value.filter((v): v is string => typeof v === 'string') };
    if (value && typeof value === 'object') {
      return { kind: 'map', entries: Object.entries(value).map(([k, v]) => [k, typeof v === 'boolean' ? v : undefined] as const) };
    }
    return { kind: 'other' };
  };
  return { settings: { file: input.file, origin: (key) => `${input.file} pnpm.${key}`, get }, packageManager };
}

/** An own property only: `constructor` or `__proto__` are never read through the prototype. */
function own(object: unknown, key: string): unknown {
  return object && typeof object === 'object' && Object.prototype.hasOwnProperty.call(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}
