/** Parses the command line into a checked command, or a usage error message; never throws. */

import { parseArgs } from 'node:util';
import type { DependencyKind } from '../core/types';

export type OutputFormat = 'text' | 'json' | 'sarif';
export type FailOn = 'error' | 'warning' | 'never';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];
export const FAIL_ON_LEVELS: readonly FailOn[] = ['error', 'warning', 'never'];
export const DEPENDENCY_KINDS: readonly DependencyKind[] = ['prod', 'dev', 'optional', 'peer'];

/** Everything `audit` needs from the command line, checked and defaulted. */
export interface AuditArgs {
  /** The folder as given; '.' when omitted. */
  readonly folder: string;
  readonly format: OutputFormat;
  readonly failOn: FailOn;
  readonly now?: Date;
  readonly minAgeDays?: number;
  readonly registry?: string;
  readonly offline: boolean;
  readonly refresh: boolean;
  readonly include: readonly DependencyKind[];
  readonly fix: boolean;
  /** undefined when neither --color nor --no-color was given. */
  readonly color?: boolean;
  /** `--contents`: inspect the tarballs of flagged versions; `--contents=all`: of every direct dependency too. */
  readonly contents?: ContentsMode;
}

export type ContentsMode = 'flagged' | 'all';
export const CONTENTS_MODES: readonly ContentsMode[] = ['flagged', 'all'];

/** Everything `inspect` needs: the version to inspect and what to compare it with. */
export interface InspectArgs {
  readonly name: string;
  readonly version: string;
  /** `--against`: the version to compare with (default: the release it followed). */
  readonly against?: string;
  readonly format: Exclude<OutputFormat, 'sarif'>;
  readonly failOn: FailOn;
  readonly registry?: string;
  readonly color?: boolean;
}

/** `diff` also prints Markdown (a job summary or pull-request comment). */
export type DiffFormat = OutputFormat | 'markdown';
export const DIFF_FORMATS: readonly DiffFormat[] = [...OUTPUT_FORMATS, 'markdown'];

/** Everything `diff` needs: the folder, the two revisions and audit's output and registry options. */
export interface DiffArgs {
  readonly folder: string;
  readonly base?: string;
  readonly head?: string;
  /** `merge-base`: --base alone; `commits`: --head; `staged`: --staged; `worktree`: --worktree. */
  readonly mode: 'merge-base' | 'commits' | 'staged' | 'worktree';
  readonly format: DiffFormat;
  readonly failOn: FailOn;
  readonly now?: Date;
  readonly minAgeDays?: number;
  readonly registry?: string;
  readonly offline: boolean;
  readonly refresh: boolean;
  readonly include: readonly DependencyKind[];
  readonly color?: boolean;
  /** `--contents`: inspect the tarballs of flagged new versions against the versions they replace; `=all`: of every new direct version too. */
  readonly contents?: ContentsMode;
}

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'audit'; readonly args: AuditArgs }
  | { readonly kind: 'diff'; readonly args: DiffArgs }
  | { readonly kind: 'inspect'; readonly args: InspectArgs };

export type ParseResult = { readonly ok: true; readonly command: Command } | { readonly ok: false; readonly message: string };

const OPTIONS = {
  format: { type: 'string' },
  'fail-on': { type: 'string' },
  now: { type: 'string' },
  'min-age': { type: 'string' },
  registry: { type: 'string' },
  offline: { type: 'boolean' },
  refresh: { type: 'boolean' },
  include: { type: 'string' },
  fix: { type: 'boolean' },
  color: { type: 'boolean' },
  contents: { type: 'string' },
  against: { type: 'string' },
  base: { type: 'string' },
  head: { type: 'string' },
  staged: { type: 'boolean' },
  worktree: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** Thrown inside this module only, turned into `{ ok: false }` by `parseCommandLine`. */
class UsageError extends Error {}

/**
 * Parses `argv` (without node and the script). `--help` and `--version` win over a command;
 * anything malformed comes back as `{ ok: false, message }` for the caller to print (exit 2).
 */
export function parseCommandLine(argv: readonly string[]): ParseResult {
  try {
    return { ok: true, command: parseOrThrow(argv) };
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) return { ok: false, message: (error as Error).message };
    throw error;
  }
}

function parseOrThrow(argv: readonly string[]): Command {
  const { values, positionals } = parseArgs({
    // `--contents` alone means `--contents=flagged`; parseArgs has no optional values.
    args: argv.map((arg) => (arg === '--contents' ? '--contents=flagged' : arg)),
    options: OPTIONS,
    allowPositionals: true,
    allowNegative: true,
    strict: true,
  });
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('No command given. Try `dependency-risk audit [folder]`.');
  if (command === 'diff') return { kind: 'diff', args: parseDiff(rest, values) };
  for (const flag of ['base', 'head', 'staged', 'worktree'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} belongs to \`diff\`: dependency-risk diff [folder] --base <ref>.`);
  }
  if (command === 'inspect') return { kind: 'inspect', args: parseInspect(rest, values) };
  if (command !== 'audit') throw new UsageError(`Unknown command '${command}'. The available commands are 'audit', 'diff' and 'inspect'.`);
  if (values.against !== undefined) throw new UsageError('--against belongs to `inspect`: dependency-risk inspect <name>@<version> --against <version>.');
  if (rest.length > 1) throw new UsageError(`'audit' takes one folder, but ${rest.length} were given: ${rest.join(' ')}.`);
  if (values.offline === true && values.refresh === true) {
    throw new UsageError('--offline and --refresh cannot be used together: --offline reads only the cache, --refresh bypasses it.');
  }
  const args: AuditArgs = {
    folder: rest[0] ?? '.',
    format: oneOf('--format', values.format, OUTPUT_FORMATS) ?? 'text',
    failOn: oneOf('--fail-on', values['fail-on'], FAIL_ON_LEVELS) ?? 'error',
    now: parseNow(values.now),
    minAgeDays: parseMinAge(values['min-age']),
    registry: parseRegistry(values.registry),
    offline: values.offline === true,
    refresh: values.refresh === true,
    include: parseInclude(values.include),
    fix: values.fix === true,
    color: values.color,
    contents: oneOf('--contents', values.contents, CONTENTS_MODES),
  };
  return { kind: 'audit', args: withoutUndefined(args) };
}

type ParsedValues = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; allowNegative: true; strict: true }>>['values'];

/** `inspect <name>@<version>`: one spec, a scoped name keeps its leading `@`. */
function parseInspect(rest: readonly string[], values: ParsedValues): InspectArgs {
  if (rest.length !== 1) throw new UsageError(`'inspect' takes one <name>@<version>, but ${rest.length} were given.`);
  const spec = rest[0] ?? '';
  const at = spec.lastIndexOf('@');
  const name = at > 0 ? spec.slice(0, at) : '';
  const version = at > 0 ? spec.slice(at + 1) : '';
  if (name === '' || version === '') throw new UsageError(`'inspect' needs an exact version, such as chalk@5.6.1; got '${spec}'.`);
  for (const flag of ['offline', 'refresh', 'fix', 'contents', 'include', 'now', 'min-age'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to 'inspect'.`);
  }
  const format = oneOf('--format', values.format, OUTPUT_FORMATS) ?? 'text';
  if (format === 'sarif') throw new UsageError("'inspect' prints text or json; sarif is for 'audit'.");
  if (values.against !== undefined && values.against.trim() === '') throw new UsageError('--against needs a version, such as 5.6.0.');
  return withoutUndefined({
    name,
    version,
    against: values.against,
    format,
    failOn: oneOf('--fail-on', values['fail-on'], FAIL_ON_LEVELS) ?? 'error',
    registry: parseRegistry(values.registry),
    color: values.color,
  });
}

/** `diff [folder] --base <ref> [--head <ref> | --staged | --worktree]`. */
function parseDiff(rest: readonly string[], values: ParsedValues): DiffArgs {
  if (rest.length > 1) throw new UsageError(`'diff' takes one folder, but ${rest.length} were given: ${rest.join(' ')}.`);
  for (const flag of ['fix', 'against'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to 'diff'.`);
  }
  if (values.contents !== undefined && values.offline === true) {
    throw new UsageError('--contents downloads the published tarballs, so it cannot be used with --offline.');
  }
  if (values.offline === true && values.refresh === true) {
    throw new UsageError('--offline and --refresh cannot be used together: --offline reads only the cache, --refresh bypasses it.');
  }
  const heads = [values.head !== undefined, values.staged === true, values.worktree === true].filter(Boolean).length;
  if (heads > 1) throw new UsageError('Use one of --head <ref>, --staged or --worktree: they name the same side of the comparison.');
  if (values.base === undefined && values.staged !== true && values.worktree !== true) {
    throw new UsageError("'diff' needs --base <ref> (e.g. --base main), or --staged / --worktree to compare HEAD with the index or the working tree.");
  }
  for (const flag of ['base', 'head'] as const) {
    if (values[flag] !== undefined && values[flag].trim() === '') throw new UsageError(`--${flag} needs a git revision, such as main or HEAD~1.`);
  }
  const mode = values.head !== undefined ? 'commits' : values.staged === true ? 'staged' : values.worktree === true ? 'worktree' : 'merge-base';
  return withoutUndefined({
    folder: rest[0] ?? '.',
    base: values.base,
    head: values.head,
    mode,
    format: oneOf('--format', values.format, DIFF_FORMATS) ?? 'text',
    failOn: oneOf('--fail-on', values['fail-on'], FAIL_ON_LEVELS) ?? 'error',
    now: parseNow(values.now),
    minAgeDays: parseMinAge(values['min-age']),
    registry: parseRegistry(values.registry),
    offline: values.offline === true,
    refresh: values.refresh === true,
    include: parseInclude(values.include),
    color: values.color,
    contents: oneOf('--contents', values.contents, CONTENTS_MODES),
  });
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}; got '${value}'.`);
  return found;
}

// A date, optionally with a time and a zone: 2025-08-04, 2025-08-04T04:18, 2025-08-04T04:18:16.197Z, ...+02:00.
const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Reads an ISO date; a time without a zone is taken as UTC, so `--now` means the same moment on every machine. */
function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const match = ISO_DATE.exec(value);
  const date = match === null ? undefined : new Date(`${match[1]}T${match[2] ?? '00:00'}${match[3] ?? 'Z'}`);
  if (date === undefined || Number.isNaN(date.getTime()) || !isRealCalendarDate(value)) {
    throw new UsageError(`--now must be an ISO 8601 date such as 2025-08-04 or 2025-08-04T04:18:16Z; got '${value}'.`);
  }
  return date;
}

// `new Date('2025-02-30')` rolls over to March 2 in some engines; reject impossible days instead.
function isRealCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

function parseMinAge(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(?:\.\d+)?$/.test(value) || !Number.isFinite(Number(value))) {
    throw new UsageError(`--min-age must be a non-negative number of days, such as 7 or 0.5; got '${value}'.`);
  }
  return Number(value);
}

function parseRegistry(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!URL.canParse(value)) {
    // The value is not echoed: a registry URL may carry credentials.
    throw new UsageError('--registry must be an absolute http or https URL, such as https://registry.npmjs.org/.');
  }
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`--registry must be an http or https URL; got a '${url.protocol}' URL.`);
  }
  return value;
}

function parseInclude(value: string | undefined): readonly DependencyKind[] {
  if (value === undefined) return DEPENDENCY_KINDS;
  const parts = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (parts.length === 0) throw new UsageError(`--include needs at least one of ${DEPENDENCY_KINDS.join(', ')}.`);
  const unknown = parts.filter((part) => !(DEPENDENCY_KINDS as readonly string[]).includes(part));
  if (unknown.length > 0) {
    throw new UsageError(`--include accepts ${DEPENDENCY_KINDS.join(', ')}; got '${unknown.join("', '")}'.`);
  }
  return DEPENDENCY_KINDS.filter((kind) => parts.includes(kind));
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
