/** Parses Bun's text lockfile, bun.lock (lockfileVersion 0 to 3), into a Lockfile; explains the binary bun.lockb. */

import type { Node, ParseError } from 'jsonc-parser';
import { parseTree, printParseErrorCode } from 'jsonc-parser';
import { maskBom } from '../text';
import type { FileError, LockedPackage, Lockfile } from '../types';
import type { BunEntry, BunImporter } from './bun-entry';
import { readImporters, readPackages, sourceOfKind } from './bun-entry';
import { walkBunGraph } from './bun-graph';
import { createBunReporter, REWRITE } from './bun-report';
import { mergeSides, splitConflict } from './conflict';
import type { Reporter } from './reporter';
import { quote } from './npm-entry';
import { MAX_CHAIN } from './npm-graph';
import { numberOf, valueOf } from './npm-json';
import type { ImporterManifest } from './types';

/**
 * 0: Bun 1.1.39-1.1.45 (`--save-text-lockfile`); 1: Bun 1.2-1.3; 2: Bun 1.4 (stricter integrity and
 * git-tag checks); 3: Bun 1.4.5+ when `overrides` holds scoped rules. The `packages` shape is the same
 * in all four except that v0 also lists each workspace's dependencies inside its package entry.
 */
const KNOWN_VERSIONS = [0, 1, 2, 3];

/**
 * Parses a bun.lock's text. Pure: reads no file and never throws.
 *
 * - `file` is the path reported in errors and locations.
 * - `importers` (the root's and workspaces' package.json, optional) are compared with the lockfile's
 *   own `workspaces` copy: a dependency package.json declares and bun.lock lacks is reported, since
 *   Bun would re-resolve it (and `--frozen-lockfile` would fail). The walk itself uses bun.lock.
 *
 * Returns every package of `packages` (registry or not, with its `source`) in lockfile order, except
 * the root (`name@root:`); workspace entries are included with source `workspace`, and the workspace
 * folders go to `workspaces`. `key` is the bun.lock key (`debug/ms` for a nested duplicate), `name`
 * the real package name (an alias's target; the alias stays in `key`), `version` the semver version
 * for registry packages and the resolution (`file:lib`, a URL, `github:o/r#sha`) for the others.
 * `hasInstallScript` is set only where Bun recorded it (Bun 1.4.5+ writes `hasInstallScript: true`;
 * earlier versions record nothing, so its absence proves nothing). Problems (invalid JSONC,
 * merge-conflict markers, an unknown lockfileVersion, unusable entries, dependencies bun.lock cannot
 * resolve) become `errors` naming the file, with a location when there is one, and everything still
 * readable is returned.
 */
export function parseBunLock(file: string, text: string, importers?: readonly ImporterManifest[]): Promise<Lockfile> {
  return Promise.resolve(parseBunLockSync(file, text, importers));
}

/** The synchronous parser behind `parseBunLock` (bun.lock needs no lazily loaded module). */
export function parseBunLockSync(file: string, text: string, importers?: readonly ImporterManifest[]): Lockfile {
  const conflict = splitConflict(text);
  if (!conflict) return parseText(file, text, importers);
  // Both sides are read, so the incoming side's versions are checked too.
  const ours = parseText(file, conflict.ours, importers);
  const theirs = parseText(file, conflict.theirs, importers);
  const report = createBunReporter(file, text);
  report.error(
    `${report.name} contains git merge-conflict markers; both sides were read. Resolve the conflict (\`bun install\` rewrites bun.lock once package.json is merged) and commit the result.`,
    conflict.firstMarker,
  );
  return mergeSides(ours, theirs, report.errors());
}

/**
 * The error for a binary bun.lockb, which this tool does not read: Bun's own format, undocumented and
 * different in every Bun release. Bun 1.2+ writes the text bun.lock, and converts an existing one.
 */
export function describeBinaryBunLock(file: string): FileError {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1) || file;
  return {
    file,
    message:
      `${name} is Bun's binary lockfile, which Dependency Risk does not read, so the locked versions were not checked. ` +
      'Convert it to the text lockfile with `bun install --save-text-lockfile --frozen-lockfile --lockfile-only` (Bun 1.2 or later), ' +
      `commit the new bun.lock and delete ${name}.`,
  };
}

function parseText(file: string, text: string, importers: readonly ImporterManifest[] | undefined): Lockfile {
  const report = createBunReporter(file, text);
  const empty = (lockfileVersion: number): Lockfile => ({ file, format: 'bun', lockfileVersion, packages: [], workspaces: [], errors: report.errors() });
  const { root, complete } = parseJsonc(text, report);
  if (root?.type !== 'object') {
    if (root) report.error(`${report.name} does not hold a JSON object, so it is not a bun.lock.`, root);
    return empty(0);
  }
  const lockfileVersion = readVersion(root, report);
  const workspacesNode = valueOf(root, 'workspaces');
  let lockImporters: BunImporter[] = [];
  if (workspacesNode?.type === 'object') lockImporters = readImporters(workspacesNode, report);
  else if (workspacesNode) report.error(`${report.name} has a "workspaces" that is not an object; no dependency was taken as direct.`, workspacesNode);
  else report.error(`${report.name} has no "workspaces", so no dependency could be taken as direct; ${REWRITE}.`);
  const packagesNode = valueOf(root, 'packages');
  let entries = new Map<string, BunEntry>();
  if (packagesNode?.type === 'object') entries = readPackages(packagesNode, lockfileVersion, report);
  else if (packagesNode) report.error(`${report.name} has a "packages" that is not an object; it was ignored.`, packagesNode);
  if (complete && importers) compareImporters(lockImporters, importers, report);
  return { ...buildPackages(entries, lockImporters, complete, report), file, format: 'bun', lockfileVersion, errors: report.errors() };
}

/** The syntax tree, tolerant of errors (which are reported) so the readable part is still used. */
function parseJsonc(text: string, report: Reporter): { root?: Node; complete: boolean } {
  if (text.trim() === '') {
    report.error(`${report.name} is empty; ${REWRITE}.`);
    return { complete: false };
  }
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    // Bun writes trailing commas everywhere and reads comments, as its own JSONC parser does.
    root = parseTree(maskBom(text), errors, { disallowComments: false, allowTrailingComma: true });
  } catch (error) {
    // jsonc-parser recurses once per nesting level, so absurdly deep nesting overflows the stack.
    const reason = error instanceof Error ? error.message : String(error);
    report.error(`${report.name} is nested too deeply to read (${reason}); none of its packages were checked.`);
    return { complete: false };
  }
  const first = errors[0];
  if (first) {
    const at = report.locate(first);
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more syntax errors)` : '';
    const fact =
      first.offset >= text.trimEnd().length
        ? `${report.name} ends unexpectedly at line ${at.line}, column ${at.column}: it looks truncated`
        : `${report.name} is not valid JSONC: ${printParseErrorCode(first.error)} at line ${at.line}, column ${at.column}${more}`;
    report.error(`${fact}. The entries that could be read were used; ${REWRITE}.`, first);
  }
  return { root, complete: first === undefined };
}

function readVersion(root: Node, report: Reporter): number {
  const node = valueOf(root, 'lockfileVersion');
  const version = numberOf(root, 'lockfileVersion');
  if (version !== undefined && KNOWN_VERSIONS.includes(version)) return version;
  const guess = 'it was read as best it could be, and packages may be missing';
  if (node === undefined) report.error(`${report.name} has no lockfileVersion; ${guess}. To fix it, ${REWRITE}.`);
  else if (version === undefined) report.error(`${report.name} has a lockfileVersion that is not a number; ${guess}. To fix it, ${REWRITE}.`, node);
  else {
    const known = `${KNOWN_VERSIONS.slice(0, -1).join(', ')} and ${KNOWN_VERSIONS[KNOWN_VERSIONS.length - 1]}`;
    report.error(`${report.name} has lockfileVersion ${version}, which this version of Dependency Risk does not know (it reads ${known}); ${guess}. Update Dependency Risk.`, node);
  }
  return version !== undefined && Number.isSafeInteger(version) ? version : 0;
}

/** Turns entries into LockedPackages: sources, flags and how each one is reached. */
function buildPackages(
  entries: ReadonlyMap<string, BunEntry>,
  importers: readonly BunImporter[],
  complete: boolean,
  report: Reporter,
): { packages: LockedPackage[]; workspaces: string[] } {
  const { reach, flags, missing, tooDeep, exhausted } = walkBunGraph(entries, importers);
  // In a damaged file the missing entry may be what was lost, so this is news only in a whole one.
  if (complete) {
    for (const { from, name } of missing) {
      report.error(`${report.name}: ${from} depends on ${quote(name)}, which bun.lock does not list, so Bun would refuse to load it; ${REWRITE}.`);
    }
  }
  if (tooDeep) report.error(`${report.name} has dependency chains longer than ${MAX_CHAIN} packages; the packages deeper than that are listed without their chain.`);
  if (exhausted) report.error(`${report.name} has too many dependency edges to resolve; the rest were not followed, so some packages are listed without their chain.`);
  const versions = new Map<string, string>(importers.flatMap((i) => (i.name !== undefined && i.version !== undefined ? [[`${i.name}@workspace:${i.path}`, i.version]] : [])));
  const packages: LockedPackage[] = [];
  for (const entry of entries.values()) {
    if (entry.kind === 'root') continue;
    const how = reach.get(entry);
    const flag = flags.get(entry);
    packages.push({
      name: entry.name,
      version: entry.kind === 'npm' ? entry.resolution : entry.kind === 'workspace' ? (versions.get(`${entry.name}@${entry.resolution}`) ?? '') : entry.resolution,
      key: entry.key,
      ...(entry.resolved !== undefined ? { resolved: entry.resolved } : {}),
      ...(entry.integrity !== undefined ? { integrity: entry.integrity } : {}),
      ...(entry.hasInstallScript !== undefined ? { hasInstallScript: entry.hasInstallScript } : {}),
      dev: flag?.dev ?? false,
      optional: flag?.optional ?? false,
      peer: flag?.peer ?? false,
      direct: how?.direct ?? false,
      source: sourceOfKind(entry.kind),
      // Packages reached from no importer are their own chain.
      via: how?.via ?? [entry.name],
      workspace: how?.workspace ?? '',
      location: report.locate(entry.keyNode),
      ...(entry.bundled ? { inBundle: true } : {}),
    });
  }
  return { packages, workspaces: importers.filter((i) => i.path !== '').map((i) => i.path) };
}

/** Reports dependencies that package.json files declare and bun.lock's `workspaces` copy lacks. */
function compareImporters(locked: readonly BunImporter[], manifests: readonly ImporterManifest[], report: Reporter): void {
  const byPath = new Map(locked.map((i) => [i.path, i]));
  for (const manifest of manifests) {
    const label = manifest.path === '' ? 'package.json' : `${manifest.path}/package.json`;
    const importer = byPath.get(manifest.path);
    if (!importer) {
      const which = manifest.path === '' ? 'the root package' : `the workspace ${quote(manifest.path)}`;
      report.error(`${report.name} has no entry for ${which} in "workspaces", so its dependencies are not locked; ${REWRITE}.`);
      continue;
    }
    const lockedNames = new Set(importer.edges.map((e) => e.name));
    const sections = [manifest.dependencies, manifest.devDependencies, manifest.optionalDependencies, manifest.peerDependencies];
    // Typed as records, but often straight from JSON.parse: take keys only from real objects.
    const declared = [...new Set(sections.flatMap((s) => (s && typeof s === 'object' ? Object.keys(s) : [])))];
    const absent = declared.filter((name) => !lockedNames.has(name));
    if (absent.length === 0) continue;
    const list = absent.slice(0, 5).map(quote).join(', ') + (absent.length > 5 ? ` and ${absent.length - 5} more` : '');
    report.error(`${report.name} is out of date: ${label} declares ${list}, which bun.lock does not lock; Bun will resolve ${absent.length === 1 ? 'it' : 'them'} afresh on the next install. ${REWRITE.charAt(0).toUpperCase()}${REWRITE.slice(1)}.`, importer.keyNode);
  }
}


