/** Reads the release-age and install-script policy Yarn Berry applies: .yarnrc.yml, `YARN_*` variables and package.json `dependenciesMeta`. */

import { isValidPackageName } from '../spec';
import { createLineIndex, locate } from '../text';
import type { FileError } from '../types';
import { loadParsers } from './load-parsers';
import type { ManagerPolicy, Sourced } from './types';
import type { Env, Read } from './yarn-values';
import { expandEnv, parseBoolean, parseDuration } from './yarn-values';

export interface YarnPolicyInput {
  /** The project's .yarnrc.yml. */
  readonly yarnrc?: { readonly file: string; readonly text: string };
  /** The root package.json: `dependenciesMeta`, and `packageManager` for the Yarn version's defaults. */
  readonly packageJson?: { readonly file: string; readonly text: string };
  /** For `${VAR}` in .yarnrc.yml and for `YARN_*` settings, which override the file as they do for Yarn. */
  readonly env: Env;
}

const DAY_MS = 86_400_000;

/** When Yarn's defaults changed (checked in @yarnpkg/cli-dist's bundled configuration). */
const SINCE = {
  /** npmMinimalAgeGate and npmPreapprovedPackages: 4.10 (a NUMBER of minutes), a DURATION from 4.11. */
  gate: [4, 10],
  duration: [4, 11],
  /** enableScripts defaults to false. */
  scriptsOff: [4, 14],
  /** npmMinimalAgeGate defaults to 1d. */
  gateOneDay: [4, 15],
} as const;

/**
 * Reads Yarn's own policy, normalised: `npmMinimalAgeGate` in days (Yarn's unit is minutes; `1d`,
 * `12h`… are durations), `npmPreapprovedPackages` as exclusions (names, globs or `name@range`, as
 * Yarn matches them), `enableScripts: false` as scripts blocked by default, and package.json
 * `dependenciesMeta[name or name@version].built` as approvals. `YARN_NPM_MINIMAL_AGE_GATE`,
 * `YARN_NPM_PREAPPROVED_PACKAGES` and `YARN_ENABLE_SCRIPTS` win over the file, as in Yarn. When
 * package.json's `packageManager` (or .yarnrc.yml's `yarnPath`) names the Yarn version, settings left
 * unset get that version's defaults (origin `Yarn 4.18.1 default`); Yarn 1 reads none of this, so
 * nothing is returned for it. A scope's own gate (`npmScopes.<scope>.npmMinimalAgeGate`) is kept
 * only when it is 0, as an exclusion of `@scope/*`. Values Yarn would refuse (it stops with an error)
 * become `errors` naming the file and setting, and are left out. Never throws.
 */
export async function readYarnPolicy(input: YarnPolicyInput): Promise<ManagerPolicy> {
  const errors: FileError[] = [];
  const manifest = input.packageJson ? readManifest(input.packageJson, errors) : undefined;
  const rc = input.yarnrc ? await readRc(input.yarnrc, errors) : undefined;
  const version = yarnVersion(manifest?.packageManager, rc?.values);
  // Yarn 1 reads .yarnrc (not .yml) and has none of these settings.
  if (version && version[0] < 2) return { manager: 'yarn', errors };
  const context: Context = { input, rc, version, errors };
  const approvals = manifest?.dependenciesMeta !== undefined && input.packageJson ? readApprovals(manifest.dependenciesMeta, input.packageJson.file, errors) : undefined;
  const gate = readGate(context);
  const exclude = readExclusions(context);
  const scripts = readScripts(context);
  return {
    manager: 'yarn',
    ...(gate ? { minReleaseAgeDays: gate } : {}),
    ...(exclude ? { minReleaseAgeExclude: exclude } : {}),
    ...(approvals ? { scriptApprovals: approvals } : {}),
    ...(scripts ? { scriptsBlockedByDefault: scripts } : {}),
    errors,
  };
}

interface Context {
  readonly input: YarnPolicyInput;
  readonly rc?: { readonly file: string; readonly values: Record<string, unknown> };
  readonly version?: readonly [number, number, number];
  readonly errors: FileError[];
}

/** One setting's raw value and where it came from. */
interface Setting {
  readonly raw: unknown;
  readonly origin: string;
  readonly file: string;
}

/** A `YARN_*` variable wins over .yarnrc.yml, as in Yarn. */
function settingOf({ input, rc }: Context, key: string, envName: string): Setting | undefined {
  const fromEnv = Object.hasOwn(input.env, envName) ? input.env[envName] : undefined;
  if (fromEnv !== undefined) return { raw: fromEnv, origin: `environment ${envName}`, file: envName };
  if (rc && Object.hasOwn(rc.values, key)) return { raw: rc.values[key], origin: `${rc.file} ${key}`, file: rc.file };
  return undefined;
}

/** A setting's text with `${VAR}` expanded, or undefined (and an error) when Yarn would refuse it. */
function textOf(context: Context, setting: Setting): string | undefined {
  return accept(context, setting, typeof setting.raw === 'string' ? expandEnv(setting.raw, context.input.env) : { problem: 'it is not a single value' });
}

function accept<T>({ errors }: Context, setting: Setting, read: Read<T>): T | undefined {
  if ('value' in read) return read.value;
  errors.push({ file: setting.file, message: `${setting.origin}: ${read.problem}; Yarn refuses to start with it, and it was ignored.` });
  return undefined;
}

function atLeast(version: readonly number[] | undefined, since: readonly [number, number]): boolean {
  return version !== undefined && (version[0] - since[0] || version[1] - since[1]) >= 0;
}

/** Before 4.10 Yarn does not know the gate, and refuses to start when .yarnrc.yml sets it. */
function isUnknownToYarn(context: Context, setting: Setting, key: string): boolean {
  if (!context.version || atLeast(context.version, SINCE.gate)) return false;
  if (!setting.origin.startsWith('environment ')) {
    context.errors.push({ file: setting.file, message: `${setting.origin}: Yarn ${context.version.join('.')} does not know ${key} (added in Yarn 4.10) and refuses to start with it; it was ignored.` });
  }
  return true;
}

function readGate(context: Context): Sourced<number> | undefined {
  const { version } = context;
  const setting = settingOf(context, 'npmMinimalAgeGate', 'YARN_NPM_MINIMAL_AGE_GATE');
  if (!setting) return atLeast(version, SINCE.gateOneDay) ? { value: 1, origin: `Yarn ${version?.join('.')} default npmMinimalAgeGate (1d)` } : undefined;
  if (isUnknownToYarn(context, setting, 'npmMinimalAgeGate')) return undefined;
  const text = textOf(context, setting);
  if (text === undefined) return undefined;
  // Yarn 4.10 read the setting with parseInt, as minutes.
  const read = version && !atLeast(version, SINCE.duration) ? { value: (Number.parseInt(text, 10) || 0) * 60_000 } : parseDuration(text, 'm');
  const ms = accept(context, setting, read);
  return ms === undefined ? undefined : { value: ms / DAY_MS, origin: setting.origin };
}

/** `npmPreapprovedPackages`, plus `@scope/*` for each scope whose own gate is 0. */
function readExclusions(context: Context): Sourced<readonly string[]> | undefined {
  const exclude: string[] = [];
  const origins: string[] = [];
  const setting = settingOf(context, 'npmPreapprovedPackages', 'YARN_NPM_PREAPPROVED_PACKAGES');
  if (setting && !isUnknownToYarn(context, setting, 'npmPreapprovedPackages')) {
    // A variable holds a comma-separated list, as every array setting does in Yarn.
    const items: unknown[] = Array.isArray(setting.raw) ? setting.raw : typeof setting.raw === 'string' ? setting.raw.split(',') : [setting.raw];
    for (const raw of items) {
      const value = textOf(context, { ...setting, raw })?.trim();
      if (value) exclude.push(value);
    }
    if (exclude.length > 0) origins.push(setting.origin);
  }
  const { rc } = context;
  const scopes = rc && isRecord(rc.values.npmScopes) ? rc.values.npmScopes : {};
  for (const [scope, settings] of Object.entries(scopes)) {
    if (!rc || !isRecord(settings) || !Object.hasOwn(settings, 'npmMinimalAgeGate')) continue;
    const scoped = { raw: settings.npmMinimalAgeGate, origin: `${rc.file} npmScopes.${scope}.npmMinimalAgeGate`, file: rc.file };
    const text = textOf(context, scoped);
    if (text !== undefined && accept(context, scoped, parseDuration(text, 'm')) === 0) {
      exclude.push(`@${scope.replace(/^@/, '')}/*`);
      origins.push(scoped.origin);
    }
  }
  return exclude.length > 0 ? { value: exclude, origin: origins.join(', ') } : undefined;
}

function readScripts(context: Context): Sourced<boolean> | undefined {
  const { version } = context;
  const setting = settingOf(context, 'enableScripts', 'YARN_ENABLE_SCRIPTS');
  if (!setting) {
    if (!version) return undefined;
    const off = atLeast(version, SINCE.scriptsOff);
    return { value: off, origin: `Yarn ${version.join('.')} default enableScripts (${off ? 'false' : 'true'})` };
  }
  const text = textOf(context, setting);
  const enabled = text === undefined ? undefined : accept(context, setting, parseBoolean(text));
  return enabled === undefined ? undefined : { value: !enabled, origin: setting.origin };
}

function readManifest(source: { file: string; text: string }, errors: FileError[]): { packageManager?: string; dependenciesMeta?: unknown } | undefined {
  let data: unknown;
  try {
    data = JSON.parse(source.text);
  } catch (error) {
    errors.push({ file: source.file, message: `${source.file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); its dependenciesMeta was not read.` });
    return undefined;
  }
  if (!isRecord(data)) return undefined;
  return {
    ...(typeof data.packageManager === 'string' ? { packageManager: data.packageManager } : {}),
    ...(Object.hasOwn(data, 'dependenciesMeta') ? { dependenciesMeta: data.dependenciesMeta } : {}),
  };
}

/** .yarnrc.yml as Yarn parses it (parseSyml: every scalar a string). */
async function readRc(source: { file: string; text: string }, errors: FileError[]): Promise<{ file: string; values: Record<string, unknown> } | undefined> {
  try {
    const { parseSyml } = await loadParsers();
    const values: unknown = parseSyml(source.text);
    return { file: source.file, values: isRecord(values) ? values : {} };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const mark = isRecord(error) && isRecord(error.mark) && typeof error.mark.position === 'number' ? error.mark.position : undefined;
    const location = mark === undefined ? undefined : locate(createLineIndex(source.file, source.text), Math.min(mark, source.text.length), 0);
    errors.push({ file: source.file, message: `${source.file} is not valid YAML (${message}); its settings were not read.`, ...(location ? { location } : {}) });
    return undefined;
  }
}

/** `dependenciesMeta[name or name@version].built`: true lets the package's scripts run, false never. */
function readApprovals(meta: unknown, file: string, errors: FileError[]): Sourced<Readonly<Record<string, boolean>>> | undefined {
  if (!isRecord(meta)) {
    errors.push({ file, message: `${file}: dependenciesMeta is not an object; it was ignored.` });
    return undefined;
  }
  const approvals: [string, boolean][] = [];
  for (const [key, flags] of Object.entries(meta)) {
    if (!isRecord(flags) || !Object.hasOwn(flags, 'built')) continue;
    const at = key.indexOf('@', 1);
    const name = at < 0 ? key : key.slice(0, at);
    if (!isValidPackageName(name) || (at >= 0 && key.slice(at + 1) === '')) {
      errors.push({ file, message: `${file}: dependenciesMeta key ${JSON.stringify(key.slice(0, 214))} is not a package name or name@version; it was ignored.` });
    } else if (typeof flags.built !== 'boolean') {
      errors.push({ file, message: `${file}: dependenciesMeta[${JSON.stringify(key)}].built must be true or false; it was ignored.` });
    } else approvals.push([key, flags.built]);
  }
  // fromEntries defines own properties, so a key such as `__proto__` stays a plain key.
  return approvals.length > 0 ? { value: Object.fromEntries(approvals), origin: `${file} dependenciesMeta` } : undefined;
}

/** The Yarn version from `packageManager` (`yarn@4.18.1+sha512…`) or `yarnPath` (`.yarn/releases/yarn-4.18.1.cjs`). */
function yarnVersion(packageManager: string | undefined, rc: Record<string, unknown> | undefined): readonly [number, number, number] | undefined {
  const fromField = packageManager === undefined ? null : /^yarn@(\d+)\.(\d+)\.(\d+)/.exec(packageManager.trim());
  const yarnPath = rc && typeof rc.yarnPath === 'string' ? rc.yarnPath : '';
  const match = fromField ?? /(?:^|[/\\])yarn-(\d+)\.(\d+)\.(\d+)(?:-[\w.]+)?\.c?js$/.exec(yarnPath);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
