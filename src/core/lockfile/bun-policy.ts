/** Reads Bun's install policy: bunfig.toml `[install] minimumReleaseAge(Excludes)` and package.json `trustedDependencies`. */

import type { Node } from 'jsonc-parser';
import { parseTree, printParseErrorCode } from 'jsonc-parser';
import { isValidPackageName } from '../spec';
import { createLineIndex, locate, maskBom } from '../text';
import type { FileError } from '../types';
import { loadParsers } from './load-parsers';
import { quote } from './npm-entry';
import { valueOf } from './npm-json';
import type { ManagerPolicy, Sourced } from './types';

export interface BunPolicyInput {
  readonly bunfig?: { readonly file: string; readonly text: string };
  readonly packageJson?: { readonly file: string; readonly text: string };
}

const SECONDS_PER_DAY = 86_400;

/** Bun runs a dependency's lifecycle scripts only when it is trusted: that holds whatever the files say. */
const BLOCKED_BY_DEFAULT: Sourced<boolean> = {
  value: true,
  origin: 'Bun, which runs dependency lifecycle scripts only for trustedDependencies (or, when package.json has none, for its built-in list of popular packages)',
};

/**
 * The policy Bun applies on install, from the files given (either may be missing). Pure apart from
 * loading the TOML reader on first use; never throws.
 *
 * - `minReleaseAgeDays`: bunfig.toml `install.minimumReleaseAge`, in seconds (a number, or since Bun
 *   1.4 a duration string such as "3d" or "72 hours"), converted to days. 0 disables the gate.
 * - `minReleaseAgeExclude`: `install.minimumReleaseAgeExcludes`. Bun matches exact names only, or
 *   `name@1.2.3 || 1.2.4` for exact versions; it ignores anything else, and so do we, saying so.
 * - `scriptApprovals`: package.json `trustedDependencies`, each name approved (true). An explicit
 *   list, even empty, replaces Bun's built-in list.
 * - `scriptsBlockedByDefault`: always true.
 * Each problem is an error naming the file, with its location when known; the rest is still used.
 */
export async function readBunPolicy(input: BunPolicyInput): Promise<ManagerPolicy> {
  const errors: FileError[] = [];
  const age = input.bunfig ? await readBunfig(input.bunfig.file, input.bunfig.text, errors) : {};
  const approvals = input.packageJson ? readTrusted(input.packageJson.file, input.packageJson.text, errors) : undefined;
  return {
    manager: 'bun',
    ...age,
    ...(approvals ? { scriptApprovals: approvals } : {}),
    scriptsBlockedByDefault: BLOCKED_BY_DEFAULT,
    errors,
  };
}

type AgePolicy = Pick<ManagerPolicy, 'minReleaseAgeDays' | 'minReleaseAgeExclude'>;

async function readBunfig(file: string, text: string, errors: FileError[]): Promise<AgePolicy> {
  const name = baseName(file);
  let document: unknown;
  try {
    const { parseToml } = await loadParsers();
    document = parseToml(maskBom(text));
  } catch (error) {
    const { line, column } = (error ?? {}) as { line?: unknown; column?: unknown };
    const reason = error instanceof Error ? error.message.split('\n')[0].replace(/^Invalid TOML document: /, '') : String(error);
    const at = typeof line === 'number' && typeof column === 'number' ? { location: locationAt(file, text, line, column) } : {};
    errors.push({ file, message: `${name} is not valid TOML (${reason}), so Bun's install settings in it were not read. Bun refuses it too; fix the file.`, ...at });
    return {};
  }
  const install = fieldOf(document, 'install');
  const result: { -readonly [K in keyof AgePolicy]: AgePolicy[K] } = {};
  const age = fieldOf(install, 'minimumReleaseAge');
  if (age !== undefined) {
    const seconds = secondsOf(age);
    if (seconds === undefined) {
      errors.push({
        file,
        message: `${name} install.minimumReleaseAge is ${describe(age)}, not a number of seconds or a duration such as "3d"; Bun refuses it, and it was ignored.`,
      });
    } else result.minReleaseAgeDays = { value: seconds / SECONDS_PER_DAY, origin: `${file} install.minimumReleaseAge` };
  }
  const excludes = fieldOf(install, 'minimumReleaseAgeExcludes');
  if (excludes !== undefined) {
    if (!Array.isArray(excludes)) {
      errors.push({ file, message: `${name} install.minimumReleaseAgeExcludes is ${describe(excludes)}, not an array of package names; Bun refuses it, and it was ignored.` });
    } else {
      const kept = excludes.filter((entry) => isExclude(entry, name, file, errors));
      result.minReleaseAgeExclude = { value: kept, origin: `${file} install.minimumReleaseAgeExcludes` };
    }
  }
  return result;
}

/** Seconds from a TOML number or a duration string, as Bun 1.4 reads them; undefined when Bun refuses the value. */
export function secondsOf(value: unknown): number | undefined {
  const seconds = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : typeof value === 'string' ? durationOf(value) : undefined;
  return seconds !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

const UNITS: Readonly<Record<string, number>> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86_400, day: 86_400, days: 86_400,
  w: 604_800, week: 604_800, weeks: 604_800,
};

/** `"259200"` (seconds), `"3d"`, `"72 hours"`, `"1.5w"`: the forms Bun 1.4 accepts (no sign, lower-case units). */
function durationOf(text: string): number | undefined {
  if (/^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text)) return Number(text);
  const match = /^(\d*\.?\d+) *([a-z]+)$/.exec(text);
  const unit = match ? UNITS[match[2]] : undefined;
  return match && unit !== undefined ? Number(match[1]) * unit : undefined;
}

/** Is this exclusion one Bun honours: a package name, or `name@1.2.3 || 1.2.4`? Reports the others. */
function isExclude(entry: unknown, name: string, file: string, errors: FileError[]): entry is string {
  if (typeof entry !== 'string') {
    errors.push({ file, message: `${name} install.minimumReleaseAgeExcludes holds ${describe(entry)}, not a package name; it was ignored.` });
    return false;
  }
  const at = entry.indexOf('@', 1);
  const packageName = at < 0 ? entry : entry.slice(0, at);
  const versions = at < 0 ? [] : entry.slice(at + 1).split('||').map((v) => v.trim());
  // `*` and `?` are matched literally by Bun but as globs by the engine, so a pattern must not pass.
  const pattern = /[*?]/.test(entry);
  if (!pattern && isValidPackageName(packageName) && versions.every((v) => /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/.test(v))) return true;
  const why = pattern
    ? 'a pattern, but Bun matches exact package names only'
    : 'not a package name or exact versions (Bun accepts "name" or "name@1.2.3 || 1.2.4")';
  errors.push({ file, message: `${name} install.minimumReleaseAgeExcludes entry ${quote(entry)} is ${why}, so it exempts nothing; it was ignored.` });
  return false;
}

function readTrusted(file: string, text: string, errors: FileError[]): Sourced<Readonly<Record<string, boolean>>> | undefined {
  const name = baseName(file);
  const parseErrors: { error: number; offset: number; length: number }[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(maskBom(text), parseErrors, { allowTrailingComma: true, disallowComments: false });
  } catch (error) {
    // Absurd nesting overflows jsonc-parser's recursion.
    errors.push({ file, message: `${name} is nested too deeply to read (${error instanceof Error ? error.message : String(error)}); its trustedDependencies were not read.` });
    return undefined;
  }
  const first = parseErrors[0];
  if (first) {
    const location = locate(createLineIndex(file, text), first.offset, first.length);
    errors.push({ file, message: `${name} is not valid JSON (${printParseErrorCode(first.error)} at line ${location.line}, column ${location.column}); trustedDependencies were read from what could be parsed.`, location });
  }
  const node = valueOf(root, 'trustedDependencies');
  if (node === undefined) return undefined;
  const origin = `${file} trustedDependencies`;
  if (node.type !== 'array') {
    errors.push({ file, message: `${name} trustedDependencies is not an array of package names; Bun refuses it, and it was ignored.`, location: locate(createLineIndex(file, text), node.offset, node.length) });
    return undefined;
  }
  // A Map first, then own data properties: no name can reach a prototype.
  const approvals = new Map<string, boolean>();
  for (const item of node.children ?? []) {
    if (item.type === 'string' && typeof item.value === 'string' && isValidPackageName(item.value)) approvals.set(item.value, true);
    else errors.push({ file, message: `${name} trustedDependencies holds ${item.type === 'string' ? quote(String(item.value)) : `a ${item.type}`}, which is not a package name; it was ignored.`, location: locate(createLineIndex(file, text), item.offset, item.length) });
  }
  return { value: Object.fromEntries(approvals), origin };
}

/** A property of a parsed TOML table (smol-toml builds objects without a prototype). */
function fieldOf(table: unknown, key: string): unknown {
  if (table === null || typeof table !== 'object' || Array.isArray(table) || table instanceof Date) return undefined;
  return Object.prototype.hasOwnProperty.call(table, key) ? (table as Record<string, unknown>)[key] : undefined;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : value instanceof Date ? 'a date' : 'a table';
}

function locationAt(file: string, text: string, line: number, column: number): FileError['location'] {
  const starts = createLineIndex(file, text).lineStarts;
  const offset = Math.min((starts[Math.max(0, line - 1)] ?? text.length) + Math.max(0, column - 1), text.length);
  return locate(createLineIndex(file, text), offset, 0);
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1) || file;
}
