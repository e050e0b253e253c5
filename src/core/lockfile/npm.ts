/** Parses npm's package-lock.json and npm-shrinkwrap.json (lockfileVersion 1, 2 and 3) into a Lockfile. */

import type { Node, ParseError } from 'jsonc-parser';
import { parseTree, printParseErrorCode } from 'jsonc-parser';
import { maskBom } from '../text';
import type { LockedPackage, Lockfile } from '../types';
import { mergeSides, splitConflict } from './conflict';
import type { RawEntry, Reporter } from './npm-entry';
import { quote } from './npm-entry';
import { createReporter } from './reporter';

/** How npm rewrites its lockfile without installing anything. */
const REGENERATE = 'regenerate it with `npm install --package-lock-only`';
import type { Importer } from './npm-graph';
import { MAX_CHAIN, reachFromImporters } from './npm-graph';
import { numberOf, valueOf } from './npm-json';
import { readLegacy } from './npm-legacy';
import { readPackages } from './npm-packages';
import type { Resolve } from './npm-resolve';
import { createResolver } from './npm-resolve';
import { createWorkspaceMatcher, nameFromPath, sourceOf } from './npm-paths';

/** The root package.json's dependency sections; only their keys are read. */
export interface RootManifest {
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

const KNOWN_VERSIONS = [1, 2, 3];

/**
 * Parses an npm lockfile's text. Pure: reads no file and never throws.
 *
 * - `file` is the path reported in errors and locations.
 * - `rootManifest` tells v1 lockfiles (which do not record the root's dependencies) which packages
 *   are direct; v2/v3 use their own `packages[""]` entry and ignore it unless that entry is missing.
 *
 * Returns every installed package (registry or not, with its `source`) in lockfile order, except the
 * root, workspace folders and linked folders; workspace paths go to `workspaces`. Keys are install
 * paths in every version (v1's nested tree becomes `node_modules/a/node_modules/b`). `name` and the
 * names in `via` are registry names (an `npm:` alias's target; the alias stays in `key`). Problems
 * (invalid JSON, merge-conflict markers, unknown lockfileVersion, unusable entries) become `errors`
 * naming the file, with a location when there is one, and everything still readable is returned.
 */
export function parseNpmLock(file: string, text: string, rootManifest?: RootManifest): Lockfile {
  const conflict = splitConflict(text);
  if (!conflict) return parseText(file, text, rootManifest);
  // Both sides are read, as npm does, so the incoming side's versions are checked too.
  const ours = parseText(file, conflict.ours, rootManifest);
  const theirs = parseText(file, conflict.theirs, rootManifest);
  const report = createReporter(file, text, REGENERATE);
  report.error(
    `${report.name} contains git merge-conflict markers; both sides were read. Resolve the conflict (\`npm install\` can do it for a lockfile) and commit the result.`,
    conflict.firstMarker,
  );
  return mergeSides(ours, theirs, report.errors());
}

function parseText(file: string, text: string, rootManifest: RootManifest | undefined): Lockfile {
  const report = createReporter(file, text, REGENERATE);
  const { root, complete } = parseJson(text, report);
  if (root?.type !== 'object') {
    if (root) report.error(`${report.name} does not hold a JSON object, so it is not an npm lockfile.`, root);
    return { file, format: 'npm', lockfileVersion: 0, packages: [], workspaces: [], errors: report.errors() };
  }
  const lockfileVersion = readVersion(root, report);
  const packagesNode = valueOf(root, 'packages');
  const dependenciesNode = valueOf(root, 'dependencies');
  let entries = new Map<string, RawEntry>();
  let legacy = false;
  if (packagesNode?.type === 'object') entries = readPackages(packagesNode, report);
  else {
    if (packagesNode) report.error(`${report.name} has a "packages" that is not an object; it was ignored.`, packagesNode);
    legacy = dependenciesNode?.type === 'object';
    if (dependenciesNode?.type === 'object') entries = readLegacy(dependenciesNode, report);
    else if (dependenciesNode) report.error(`${report.name} has a "dependencies" that is not an object; it was ignored.`, dependenciesNode);
    else if (lockfileVersion !== 1) report.error(`${report.name} lists no packages: it has neither "packages" nor "dependencies".`);
  }
  const { packages, workspaces } = buildPackages(entries, { legacy, complete, rootManifest }, report);
  return { file, format: 'npm', lockfileVersion, packages, workspaces, errors: report.errors() };
}

/** The syntax tree, tolerant of errors (which are reported) so the readable part is still used. */
function parseJson(text: string, report: Reporter): { root?: Node; complete: boolean } {
  if (text.trim() === '') {
    report.error(`${report.name} is empty. Regenerate it with \`npm install --package-lock-only\`.`);
    return { complete: false };
  }
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(maskBom(text), errors, { disallowComments: true, allowTrailingComma: false });
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
    const truncated = first.offset >= text.trimEnd().length;
    const fact = truncated
      ? `${report.name} ends unexpectedly at line ${at.line}, column ${at.column}: it looks truncated`
      : `${report.name} is not valid JSON: ${printParseErrorCode(first.error)} at line ${at.line}, column ${at.column}${more}`;
    report.error(`${fact}. The entries that could be read were used; regenerate it with \`npm install --package-lock-only\`.`, first);
  }
  return { root, complete: first === undefined };
}

function readVersion(root: Node, report: Reporter): number {
  const node = valueOf(root, 'lockfileVersion');
  const version = numberOf(root, 'lockfileVersion');
  if (version !== undefined && KNOWN_VERSIONS.includes(version)) return version;
  const guess = 'it was read as best it could be, and packages may be missing';
  if (node === undefined) report.error(`${report.name} has no lockfileVersion; ${guess}. Regenerate it with \`npm install --package-lock-only\`.`);
  else if (version === undefined) report.error(`${report.name} has a lockfileVersion that is not a number; ${guess}. Regenerate it with \`npm install --package-lock-only\`.`, node);
  else report.error(`${report.name} has lockfileVersion ${version}, which this version of Dependency Risk does not know (it reads 1, 2 and 3); ${guess}. Update Dependency Risk.`, node);
  return version !== undefined && Number.isSafeInteger(version) ? version : 0;
}

/** Turns raw entries into LockedPackages: names, sources, flags and how each one is reached. */
function buildPackages(
  entries: ReadonlyMap<string, RawEntry>,
  { legacy, complete, rootManifest }: { legacy: boolean; complete: boolean; rootManifest: RootManifest | undefined },
  report: Reporter,
): { packages: LockedPackage[]; workspaces: string[] } {
  const root = entries.get('');
  const isWorkspace = createWorkspaceMatcher(root?.workspaces ?? []);
  const all = [...entries.values()];
  const workspaces = all.filter((e) => e.kind === 'folder' && isWorkspace(e.key)).map((e) => e.key);
  const workspaceSet = new Set(workspaces);
  const linkTargets = new Set(all.flatMap((e) => (e.link && e.resolved !== undefined ? [e.resolved] : [])));
  // In a damaged file the link may be what was lost, so an orphan folder is news only in a whole one.
  const orphans = complete ? all.filter((e) => e.kind === 'folder' && !workspaceSet.has(e.key) && !linkTargets.has(e.key)) : [];
  for (const folder of orphans) {
    report.error(`${report.name} entry ${quote(folder.key)} is a folder that no link points to and no workspace pattern matches; it was ignored.`, folder.keyNode);
  }
  const resolve = createResolver(entries);
  const importers: Importer[] = [
    { path: '', dependencies: rootDependencies(entries, resolve, root, rootManifest, workspaceSet) },
    ...workspaces.map((path) => {
      const folder = entries.get(path);
      return { path, dependencies: folder ? [...folder.dependencies, ...folder.devDependencies] : [] };
    }),
  ];
  const nameOf = (e: RawEntry): string => (e.link ? undefined : e.name) ?? nameFromPath(e.key) ?? e.key;
  const { reach, tooDeep } = reachFromImporters(entries, importers, resolve, nameOf);
  if (tooDeep) {
    report.error(`${report.name} has dependency chains longer than ${MAX_CHAIN} packages; the packages deeper than that are listed without their chain.`);
  }
  const packages: LockedPackage[] = [];
  for (const entry of all) {
    if (entry.kind !== 'package') continue;
    const target = entry.link && entry.resolved !== undefined ? entries.get(entry.resolved) : undefined;
    const facts = target && target.kind !== 'package' ? target : undefined;
    const how = reach.get(entry.key);
    const name = nameOf(entry);
    packages.push({
      name,
      version: (entry.link ? facts?.version : undefined) ?? entry.version ?? '',
      key: entry.key,
      ...(entry.resolved !== undefined ? { resolved: entry.resolved } : {}),
      ...(entry.integrity !== undefined ? { integrity: entry.integrity } : {}),
      ...(legacy ? {} : { hasInstallScript: facts?.hasInstallScript ?? entry.hasInstallScript ?? false }),
      // npm writes `devOptional` instead of `dev` and `optional` when a package is needed by both
      // the dev tree and an optional dependency of production: `--omit=dev` alone keeps it, and so
      // does `--omit=optional` alone. Our flags mean "omitted by --omit=<kind>", so both stay false.
      dev: entry.dev || (facts?.dev ?? false),
      optional: entry.optional || (facts?.optional ?? false),
      peer: entry.peer || (facts?.peer ?? false),
      direct: how?.direct ?? false,
      source: entry.link ? (workspaceSet.has(entry.resolved ?? '') ? 'workspace' : 'link') : sourceOf(entry.resolved, entry.version),
      // Extraneous packages (reached from no importer) are their own chain.
      via: how?.via ?? [name],
      workspace: how?.workspace ?? '',
      location: report.locate(entry.keyNode),
      ...(entry.inBundle ? { inBundle: true } : {}),
    });
  }
  return { packages, workspaces };
}

/**
 * The root's declared dependency names: from `packages[""]`, else from package.json, else (v1 without
 * package.json) the top-level packages that no other package requires. Workspaces come last: npm
 * links each one into the root's node_modules as if the root depended on it.
 */
function rootDependencies(
  entries: ReadonlyMap<string, RawEntry>,
  resolve: Resolve,
  root: RawEntry | undefined,
  rootManifest: RootManifest | undefined,
  workspaces: ReadonlySet<string>,
): string[] {
  let declared: string[];
  if (root) declared = [...root.dependencies, ...root.devDependencies];
  else if (rootManifest) {
    const { dependencies, devDependencies, optionalDependencies, peerDependencies } = rootManifest;
    // Typed as records, but often straight from JSON.parse: take keys only from real objects.
    declared = [dependencies, optionalDependencies, peerDependencies, devDependencies].flatMap((s) => (s && typeof s === 'object' ? Object.keys(s) : []));
  } else declared = unrequiredTopLevel(entries, resolve);
  const links = [...entries.values()].filter((e) => e.link && e.resolved !== undefined && workspaces.has(e.resolved) && isTopLevel(e.key));
  return [...new Set([...declared, ...links.map((e) => nameFromPath(e.key) ?? e.key)])];
}

function unrequiredTopLevel(entries: ReadonlyMap<string, RawEntry>, resolve: Resolve): string[] {
  const required = new Set<string>();
  for (const entry of entries.values()) {
    for (const name of entry.dependencies) {
      const target = resolve(entry.key, name);
      if (target && target !== entry) required.add(target.key);
    }
  }
  return [...entries.values()]
    .filter((e) => e.kind === 'package' && !required.has(e.key) && isTopLevel(e.key))
    .map((e) => nameFromPath(e.key) ?? e.key);
}

/** Is this path the root's own `node_modules/<name>`? */
function isTopLevel(key: string): boolean {
  return key === `node_modules/${nameFromPath(key) ?? ''}`;
}


