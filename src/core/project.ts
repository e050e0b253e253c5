/** Finds a project's files: its root (where the lockfile is), the workspace manifests, and the lockfile its package manager reads. */

import { readdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { AuditError, DependencyKind, Lockfile, Manifest } from './types';
import { parseManifest } from './manifest';
import { chooseLockfile, LOCKFILE_NAMES, parseLockfile, type LockfileChoice } from './lockfile';
import type { ImporterManifest } from './lockfile/types';

export type ReadText = (path: string) => Promise<string | undefined>;

/** The names of the sub-folders of a folder (absolute path); empty when it does not exist. */
export type ListDirs = (path: string) => Promise<readonly string[]>;

/** One package.json of the project: the root ('') or a workspace (`packages/a`). */
export interface ProjectManifest {
  readonly path: string;
  readonly manifest: Manifest;
  readonly text: string;
}

export interface ProjectFiles {
  /** The folder with the lockfile (absolute); locations are relative to it. */
  readonly root: string;
  /** The workspace the audit was asked about ('' for the whole project). */
  readonly focus: string;
  readonly manifests: readonly ProjectManifest[];
  readonly lockfile?: Lockfile;
  readonly choice?: LockfileChoice;
  readonly errors: readonly AuditError[];
}

/** How far up a workspace folder may sit below its root. */
const MAX_DEPTH = 6;
const MAX_WORKSPACES = 1000;

/**
 * Loads the project that `dir` belongs to. A folder with its own lockfile is the root. A folder
 * without one that a parent's workspaces include is audited with the parent's lockfile, as the
 * package manager installs it. Undefined when `dir` has no package.json.
 */
export async function loadProject(dir: string, readText: ReadText, listDirs: ListDirs = readDirs): Promise<ProjectFiles | undefined> {
  const ownText = await readText(join(dir, 'package.json'));
  if (ownText === undefined) return undefined;
  const root = (await findWorkspaceRoot(dir, readText, listDirs)) ?? dir;
  const focus = relative(root, dir).split(sep).join('/');
  const errors: AuditError[] = [];
  const rootText = root === dir ? ownText : ((await readText(join(root, 'package.json'))) ?? ownText);
  const rootManifest = parseManifest('package.json', rootText);
  const manifests: ProjectManifest[] = [{ path: '', manifest: rootManifest, text: rootText }];
  for (const path of await expandWorkspaces(root, rootManifest.workspaces, await pnpmWorkspaceGlobs(root, readText), listDirs)) {
    const text = await readText(join(root, path, 'package.json'));
    if (text !== undefined) manifests.push({ path, manifest: parseManifest(`${path}/package.json`, text), text });
  }
  for (const m of manifests) errors.push(...m.manifest.errors.map((e) => ({ kind: 'parse', ...e })));

  const present: string[] = [];
  const texts = new Map<string, string>();
  for (const name of LOCKFILE_NAMES) {
    const text = await readText(join(root, name));
    if (text === undefined) continue;
    present.push(name);
    texts.set(name, text);
  }
  const choice = chooseLockfile(present, rootManifest.packageManager);
  let lockfile: Lockfile | undefined;
  if (choice) {
    if (choice.ignored.length > 0) {
      errors.push({ kind: 'lockfile-choice', file: choice.file, message: `Used ${choice.file} (${choice.reason}); not read: ${choice.ignored.join(', ')}.` });
    }
    const parsed = await parseLockfile(choice.file, choice.file, texts.get(choice.file) ?? '', manifests.map(importerOf));
    lockfile = parsed.lockfile;
    if (parsed.error) errors.push({ kind: 'unsupported-lockfile', ...parsed.error });
    errors.push(...(lockfile?.errors ?? []).map((e) => ({ kind: 'parse', ...e })));
  }
  return { root, focus, manifests, lockfile, choice, errors };
}

/** The nearest parent folder (up to MAX_DEPTH) whose package.json or pnpm-workspace.yaml lists `dir` as a workspace. */
async function findWorkspaceRoot(dir: string, readText: ReadText, listDirs: ListDirs): Promise<string | undefined> {
  if (await hasLockfile(dir, readText)) return undefined;
  let current = dir;
  for (let i = 0; i < MAX_DEPTH; i++) {
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
    const text = await readText(join(current, 'package.json'));
    const pnpmGlobs = await pnpmWorkspaceGlobs(current, readText);
    if (text === undefined && pnpmGlobs.length === 0) continue;
    const globs = text === undefined ? [] : parseManifest('package.json', text).workspaces;
    const wanted = relative(current, dir).split(sep).join('/');
    if ((await expandWorkspaces(current, globs, pnpmGlobs, listDirs)).includes(wanted)) return current;
  }
  return undefined;
}

async function hasLockfile(dir: string, readText: ReadText): Promise<boolean> {
  for (const name of LOCKFILE_NAMES) if ((await readText(join(dir, name))) !== undefined) return true;
  return false;
}

/** `packages:` of pnpm-workspace.yaml (read only when the file exists: the YAML reader loads lazily). */
async function pnpmWorkspaceGlobs(root: string, readText: ReadText): Promise<string[]> {
  const text = await readText(join(root, 'pnpm-workspace.yaml'));
  if (text === undefined) return [];
  const { parseDocument } = await (await import('./lockfile/load-parsers')).loadParsers();
  const value: unknown = parseDocument(text).toJS({ maxAliasCount: 100 });
  const packages = value && typeof value === 'object' ? (value as Record<string, unknown>).packages : undefined;
  return Array.isArray(packages) ? packages.filter((p): p is string => typeof p === 'string') : [];
}

/**
 * Expands workspace globs against the folder tree: literal paths, `*` within one segment and a
 * trailing `**`, as npm, Yarn, pnpm and Bun write them. `!pattern` entries exclude. Folders named
 * node_modules are never entered. `listDirs` reads the folder tree (a git revision's, for `diff`).
 */
export async function expandWorkspaces(root: string, globs: readonly string[], more: readonly string[] = [], listDirs: ListDirs = readDirs): Promise<string[]> {
  const include = [...globs, ...more].filter((g) => !g.startsWith('!'));
  const exclude = [...globs, ...more].filter((g) => g.startsWith('!')).map((g) => toRegExp(g.slice(1)));
  const found = new Set<string>();
  for (const glob of include) {
    const parts = glob.replace(/^\.\//, '').replace(/\/+$/, '').split('/').filter(Boolean);
    if (parts.some((p) => p === '..')) continue;
    await walk(root, '', parts, found, listDirs);
    if (found.size > MAX_WORKSPACES) break;
  }
  return [...found].filter((p) => p !== '' && !exclude.some((r) => r.test(p))).sort();
}

async function walk(root: string, prefix: string, parts: readonly string[], found: Set<string>, listDirs: ListDirs): Promise<void> {
  if (found.size > MAX_WORKSPACES) return;
  if (parts.length === 0) {
    found.add(prefix);
    return;
  }
  const [head, ...rest] = parts;
  if (!/[*?]/.test(head)) return walk(root, prefix ? `${prefix}/${head}` : head, rest, found, listDirs);
  const names = await listDirs(join(root, prefix));
  const match = toRegExp(head);
  for (const name of names) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = prefix ? `${prefix}/${name}` : name;
    if (head === '**') {
      found.add(path);
      await walk(root, path, parts, found, listDirs);
    } else if (match.test(name)) {
      await walk(root, path, rest, found, listDirs);
    }
  }
}

/** The file system's sub-folders of `path`; none when it cannot be read (a missing folder matches nothing). */
async function readDirs(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
}

function toRegExp(glob: string): RegExp {
  const source = glob.split(/(\*\*|\*|\?)/).map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`);
}

const SECTION: Record<DependencyKind, keyof Omit<ImporterManifest, 'path' | 'name' | 'version'>> = {
  prod: 'dependencies',
  dev: 'devDependencies',
  optional: 'optionalDependencies',
  peer: 'peerDependencies',
};

/** A workspace's manifest in the shape the lockfile parsers take. */
export function importerOf(m: ProjectManifest): ImporterManifest {
  const sections: Record<string, Record<string, string>> = {};
  for (const d of m.manifest.dependencies) {
    if (d.kind === 'override') continue;
    (sections[SECTION[d.kind]] ??= {})[d.name] = d.spec;
  }
  return { path: m.path, name: m.manifest.name, version: m.manifest.version, ...sections };
}
