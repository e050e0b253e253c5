/** Chooses the lockfile a folder's package manager would read, and parses it with that format's parser. */

import type { FileError, Lockfile } from '../types';
import { describeBinaryBunLock, parseBunLock } from './bun';
import { parseNpmLock } from './npm';
import { parsePnpmLock } from './pnpm';
import { parseYarnLock } from './yarn';
import type { ImporterManifest } from './types';

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

interface LockfileKind {
  readonly name: string;
  readonly manager: PackageManager;
}

/** Every lockfile name, in the order used when `packageManager` does not decide (npm's own preference first). */
export const LOCKFILE_KINDS: readonly LockfileKind[] = [
  { name: 'npm-shrinkwrap.json', manager: 'npm' },
  { name: 'package-lock.json', manager: 'npm' },
  { name: 'pnpm-lock.yaml', manager: 'pnpm' },
  { name: 'yarn.lock', manager: 'yarn' },
  { name: 'bun.lock', manager: 'bun' },
  { name: 'bun.lockb', manager: 'bun' },
];

export const LOCKFILE_NAMES: readonly string[] = LOCKFILE_KINDS.map((k) => k.name);

export interface LockfileChoice {
  readonly file: string;
  readonly manager: PackageManager;
  /** Why this one: "the only lockfile", "packageManager: pnpm@9.1.0", … */
  readonly reason: string;
  /** Other lockfiles present and not used. */
  readonly ignored: readonly string[];
}

/** `pnpm@9.1.0+sha512…` -> { manager: 'pnpm', version: '9.1.0' }; undefined for anything else. */
export function parsePackageManagerField(value: string | undefined): { manager: PackageManager; version?: string } | undefined {
  const match = value ? /^(npm|pnpm|yarn|bun)(?:@([^+\s]+))?/.exec(value.trim()) : null;
  return match ? { manager: match[1] as PackageManager, version: match[2] } : undefined;
}

/**
 * Picks the lockfile among those `present`: the one of the manager named by package.json's
 * `packageManager` field when it has one, else the first in LOCKFILE_KINDS order. Undefined when
 * there is none. A binary bun.lockb is chosen only when no bun.lock sits beside it.
 */
export function chooseLockfile(present: readonly string[], packageManagerField?: string): LockfileChoice | undefined {
  const kinds = LOCKFILE_KINDS.filter((k) => present.includes(k.name) && !(k.name === 'bun.lockb' && present.includes('bun.lock')));
  if (kinds.length === 0) return undefined;
  const declared = parsePackageManagerField(packageManagerField);
  const preferred = declared ? kinds.find((k) => k.manager === declared.manager) : undefined;
  const chosen = preferred ?? kinds[0];
  const ignored = kinds.filter((k) => k !== chosen).map((k) => k.name);
  const reason = preferred
    ? `packageManager: ${packageManagerField?.split('+')[0]}`
    : kinds.length === 1
      ? 'the only lockfile'
      : `first of ${kinds.map((k) => k.name).join(', ')}; set "packageManager" in package.json to choose`;
  return { file: chosen.name, manager: chosen.manager, reason, ignored };
}

type ParsedLockfile = { lockfile?: Lockfile; error?: FileError };

/**
 * The last few parses. The editor re-audits at every pause in typing, and for a lockfile of
 * thousands of packages parsing it costs more than the rest of a cache-only audit; parsing is pure,
 * so the same text and importers give the same (read-only) result.
 */
const recentParses: Array<{ file: string; name: string; text: string; importers: string; parsed: Promise<ParsedLockfile> }> = [];
const RECENT_PARSES = 4;

/**
 * Parses a lockfile by its file name. Never throws: a format that cannot be read gives no lockfile
 * and an error saying what to do, and the audit falls back to what package.json admits.
 */
export function parseLockfile(file: string, name: string, text: string, importers: readonly ImporterManifest[]): Promise<ParsedLockfile> {
  const importersKey = JSON.stringify(importers);
  const recent = recentParses.find((r) => r.file === file && r.name === name && r.importers === importersKey && r.text === text);
  if (recent !== undefined) return recent.parsed;
  const parsed = parseLockfileText(file, name, text, importers);
  // A failure to load a parser chunk is not kept: the next audit tries again.
  parsed.catch(() => {
    const at = recentParses.findIndex((r) => r.parsed === parsed);
    if (at !== -1) recentParses.splice(at, 1);
  });
  recentParses.unshift({ file, name, text, importers: importersKey, parsed });
  recentParses.length = Math.min(recentParses.length, RECENT_PARSES);
  return parsed;
}

async function parseLockfileText(file: string, name: string, text: string, importers: readonly ImporterManifest[]): Promise<ParsedLockfile> {
  switch (name) {
    case 'npm-shrinkwrap.json':
    case 'package-lock.json':
      return { lockfile: parseNpmLock(file, text, importers.find((i) => i.path === '')) };
    case 'pnpm-lock.yaml':
      return { lockfile: await parsePnpmLock(file, text, importers) };
    case 'yarn.lock':
      return { lockfile: await parseYarnLock(file, text, importers) };
    case 'bun.lock':
      return { lockfile: await parseBunLock(file, text, importers) };
    case 'bun.lockb':
      return { error: describeBinaryBunLock(file) };
    default:
      return { error: { file, message: `${file} is not a lockfile this tool knows. Checked the versions package.json admits instead.` } };
  }
}
