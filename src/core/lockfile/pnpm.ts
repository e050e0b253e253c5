/** Parses pnpm-lock.yaml (lockfileVersion 5.3/5.4, 6.0/6.1 and 9.0, with pnpm 11+'s leading env document) into a Lockfile. */

import type { Document } from 'yaml';
import { isValidPackageName } from '../spec';
import type { LockedPackage, Lockfile } from '../types';
import type { Parsers } from './load-parsers';
import { loadParsers } from './load-parsers';
import { mergeSides, splitConflict } from './conflict';
import { quote } from './npm-entry';
import { MAX_CHAIN } from './npm-graph';
import type { PnpmEntry } from './pnpm-entries';
import { readEntries } from './pnpm-entries';
import type { Walk } from './pnpm-graph';
import { walkFromImporters } from './pnpm-graph';
import type { PnpmImporter } from './pnpm-importers';
import { readImporters } from './pnpm-importers';
import type { Layout } from './pnpm-keys';
import { joinPath } from './pnpm-keys';
import type { Reporter } from './pnpm-report';
import { count, createReporter, plain, REGENERATE } from './pnpm-report';
import type { ImporterManifest } from './types';
import type { ParsedYaml, YamlReader } from './pnpm-yaml';
import { createYamlReader, parseYaml } from './pnpm-yaml';

const KNOWN_VERSIONS = ['5.3', '5.4', '6.0', '6.1', '9.0'];

/**
 * Parses a pnpm lockfile's text. Never throws (a failure to load the YAML reader becomes an error).
 *
 * - `file` is the path reported in errors and locations.
 * - `importers` are the project's manifests (root '' and workspaces); only the version of a linked
 *   workspace is taken from them, since pnpm does not record it.
 *
 * Returns one package per `packages` key (5.x/6.x) or `snapshots` key (9.0), so a package installed
 * twice with different peers appears twice, with its key suffix (`name@1.2.3(react@18.3.1)`). Each
 * `link:` dependency of an importer appears too, keyed `<importer>/node_modules/<name>`, with source
 * `workspace` when it links another importer, else `link`. `name` and the names in `via` are registry
 * names (an alias's target). `location` is the span of the `packages` key. `dev` and `optional` are
 * the file's flags in 5.x/6.x; 9.0 no longer writes them, so they are derived from what reaches the
 * package, as pnpm derives them. `hasInstallScript` is `requiresBuild` in 5.x/6.x and undefined in 9.0.
 * When the file holds several YAML documents (pnpm 11+ writes config dependencies and the package
 * manager itself in a leading env document), the last lockfile document is the project's; the env
 * document's packages are not returned, matching `pnpm list`. Problems (invalid YAML, merge-conflict
 * markers, an unknown lockfileVersion, unusable entries) become `errors` naming the file.
 */
export async function parsePnpmLock(file: string, text: string, importers?: readonly ImporterManifest[]): Promise<Lockfile> {
  let parsers: Parsers;
  try {
    parsers = await loadParsers();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ...emptyLockfile(file), errors: [{ file, message: `${file} was not read: the YAML reader could not be loaded (${reason}).` }] };
  }
  const conflict = splitConflict(text);
  if (!conflict) return parseText(parsers, file, text, importers ?? []);
  // pnpm itself reads both sides of a conflicted lockfile and merges them, so both sides are checked.
  const ours = parseText(parsers, file, conflict.ours, importers ?? []);
  const theirs = parseText(parsers, file, conflict.theirs, importers ?? []);
  const report = createReporter(file, text, REGENERATE);
  report.error(
    `${report.name} contains git merge-conflict markers; both sides were read. Resolve the conflict (\`pnpm install\` can do it for a lockfile) and commit the result.`,
    conflict.firstMarker,
  );
  return mergeSides(ours, theirs, report.errors());
}

function emptyLockfile(file: string): Lockfile {
  return { file, format: 'pnpm', lockfileVersion: 0, packages: [], workspaces: [], errors: [] };
}

function parseText(parsers: Parsers, file: string, text: string, manifests: readonly ImporterManifest[]): Lockfile {
  const report = createReporter(file, text, REGENERATE);
  const result = (lockfileVersion: number, packages: LockedPackage[] = [], workspaces: string[] = []): Lockfile => ({
    file,
    format: 'pnpm',
    lockfileVersion,
    packages,
    workspaces,
    errors: report.errors(),
  });
  if (text.trim() === '') {
    report.error(`${report.name} is empty. R${REGENERATE.slice(1)}.`);
    return result(0);
  }
  let parsed: ParsedYaml;
  try {
    // A byte-order mark stays: yaml skips it at the start of the stream, and offsets keep counting it.
    parsed = parseYaml(parsers, text);
  } catch (error) {
    // parseYaml refuses flow collections nested deeper than pnpm ever writes (the composer recurses per level).
    const reason = error instanceof Error ? error.message : String(error);
    report.error(`${report.name} could not be read as YAML (${plain(reason)}); none of its packages were checked. ${REGENERATE.charAt(0).toUpperCase()}${REGENERATE.slice(1)}.`);
    return result(0);
  }
  reportSyntax(parsed, text, report);
  const y = createYamlReader(parsers);
  const root = chooseDocument(parsed.documents, y, report);
  if (root === undefined) return result(0);
  const { lockfileVersion, layout } = readVersion(root, y, report);
  const importers = readImporters(root, layout, y, report);
  const entries = readEntries(root, layout, y, report);
  const walk = walkFromImporters(entries, importers, layout);
  if (walk.tooDeep) {
    report.error(`${report.name} has dependency chains longer than ${MAX_CHAIN} packages; the packages deeper than that are listed without their chain.`);
  }
  const [first] = walk.missing;
  if (first) {
    const where = `${first.importer ? 'importer ' : ''}${quote(first.from)}`;
    report.error(
      `${report.name} refers to ${count(walk.missing.length, 'package')} that it does not list (first: ${quote(`${first.name}: ${first.ref}`)} in ${where}); those dependencies were not followed. It may be truncated or edited by hand: ${REGENERATE}.`,
    );
  }
  if (y.sawAlias) report.error(`${report.name} uses YAML aliases (\`*name\`), which pnpm never writes; the values they stand for were ignored.`);
  const packages = [...linkedPackages(importers, manifests, report), ...[...entries.values()].map((e) => lockedPackage(e, walk, layout, report))];
  return result(lockfileVersion, packages, importers.filter((i) => i.path !== '').map((i) => i.path));
}

/** Reports the first syntax error (the readable part is still used, as YAML recovers well). */
function reportSyntax(parsed: ParsedYaml, text: string, report: Reporter): void {
  const first = parsed.errors[0];
  if (!first) return;
  const at = report.locate(first.span);
  const more = parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more syntax errors)` : '';
  // yaml catches its own stack overflow on deeply nested block collections and reports it as a syntax error.
  const fact = /call stack/i.test(first.message)
    ? `${report.name} is nested too deeply to read at line ${at.line}, column ${at.column}`
    : first.span.offset >= text.trimEnd().length
      ? `${report.name} ends unexpectedly at line ${at.line}, column ${at.column}: it looks truncated`
      : `${report.name} is not valid YAML: ${plain(first.message)} at line ${at.line}, column ${at.column}${more}`;
  report.error(`${fact}. The entries that could be read were used; ${REGENERATE}.`, first.span);
}

/**
 * The project's lockfile document: the last map with a `lockfileVersion` that is not an env document.
 * Falls back, with an error, to the last map of any kind.
 */
function chooseDocument(documents: readonly Document.Parsed[], y: YamlReader, report: Reporter): unknown {
  const maps = documents.map((d) => d.contents).filter((c) => y.isMapNode(c));
  const versioned = maps.filter((m) => y.valueOf(m, 'lockfileVersion') !== undefined);
  const lockfiles = versioned.filter((m) => !isEnvDocument(m, y));
  if (lockfiles.length > 0) return lockfiles[lockfiles.length - 1];
  if (versioned.length > 0) {
    report.error(`${report.name} holds only pnpm's env document (config dependencies and the package manager), not the project's lockfile; ${REGENERATE}.`);
    return undefined;
  }
  if (maps.length === 0) {
    report.error(`${report.name} does not hold a YAML map, so it is not a pnpm lockfile.`, y.spanOf(documents[0]?.contents));
    return undefined;
  }
  return maps[maps.length - 1];
}

/** pnpm 11+'s env document: importers that declare only `configDependencies` and `packageManagerDependencies`. */
function isEnvDocument(map: unknown, y: YamlReader): boolean {
  const importers = y.entriesOf(y.valueOf(map, 'importers'));
  const envOnly = (importer: unknown) =>
    y.entriesOf(importer).every((section) => section.key === 'configDependencies' || section.key === 'packageManagerDependencies');
  return importers.length > 0 && importers.every((i) => envOnly(i.value));
}

function readVersion(root: unknown, y: YamlReader, report: Reporter): { lockfileVersion: number; layout: Layout } {
  const node = y.valueOf(root, 'lockfileVersion');
  const text = y.textOf(node);
  const number = text !== undefined && /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : undefined;
  const lockfileVersion = number ?? 0;
  if (text !== undefined && KNOWN_VERSIONS.includes(text)) {
    return { lockfileVersion, layout: lockfileVersion >= 9 ? 'v9' : lockfileVersion >= 6 ? 'v6' : 'v5' };
  }
  const guess = 'it was read as best it could be, and packages may be missing';
  if (node === undefined) report.error(`${report.name} has no lockfileVersion; ${guess}. R${REGENERATE.slice(1)}.`);
  else if (text === undefined) report.error(`${report.name} has a lockfileVersion that is not a scalar; ${guess}. R${REGENERATE.slice(1)}.`, y.spanOf(node));
  else {
    report.error(
      `${report.name} has lockfileVersion ${quote(text)}, which this version of Dependency Risk does not know (it reads ${KNOWN_VERSIONS.join(', ')}); ${guess}. Update Dependency Risk.`,
      y.spanOf(node),
    );
  }
  return { lockfileVersion, layout: guessLayout(root, y) };
}

/** The layout the keys are written in: 9.0 has `snapshots`; 6.x keys are `/name@1.2.3`, 5.x keys `/name/1.2.3`. */
function guessLayout(root: unknown, y: YamlReader): Layout {
  if (y.valueOf(root, 'snapshots') !== undefined) return 'v9';
  const keys = y.entriesOf(y.valueOf(root, 'packages')).map((e) => e.key);
  if (keys.some((k) => /^\/(?:@[^/]+\/)?[^/@]+@/.test(k))) return 'v6';
  if (keys.some((k) => k.startsWith('/'))) return 'v5';
  return 'v9';
}

function lockedPackage(entry: PnpmEntry, walk: Walk, layout: Layout, report: Reporter): LockedPackage {
  const how = walk.reach.get(entry.key);
  const kinds = walk.kinds.get(entry.key);
  const { resolution } = entry;
  const resolved =
    resolution.tarball ?? resolution.directory ?? (resolution.repo !== undefined ? `${resolution.repo}${resolution.commit ? `#${resolution.commit}` : ''}` : undefined);
  return {
    name: entry.name,
    version: entry.version,
    key: entry.key,
    ...(resolved !== undefined ? { resolved } : {}),
    ...(resolution.integrity !== undefined ? { integrity: resolution.integrity } : {}),
    ...(entry.hasInstallScript !== undefined ? { hasInstallScript: entry.hasInstallScript } : {}),
    dev: layout === 'v9' ? (kinds?.dev ?? false) : (entry.dev ?? false),
    optional: layout === 'v9' ? (kinds?.optional ?? false) : (entry.optional ?? false),
    peer: kinds?.peer ?? false,
    direct: how?.direct ?? false,
    source: entry.source,
    // Packages reached from no importer (or deeper than MAX_CHAIN) are their own chain.
    via: how?.via ?? [entry.name],
    workspace: how?.workspace ?? '',
    location: report.locate(entry.span),
  };
}

/**
 * The importers' `link:` dependencies: another importer (a workspace, source `workspace`) or any
 * other folder (source `link`). pnpm records neither's version, so a workspace's comes from its manifest.
 */
function linkedPackages(importers: readonly PnpmImporter[], manifests: readonly ImporterManifest[], report: Reporter): LockedPackage[] {
  const paths = new Set(importers.map((i) => i.path));
  const packages = new Map<string, LockedPackage>();
  for (const importer of importers) {
    for (const dependency of importer.dependencies) {
      if (!dependency.ref.startsWith('link:')) continue;
      const key = `${importer.path === '' ? '' : `${importer.path}/`}node_modules/${dependency.name}`;
      if (packages.has(key)) continue;
      if (!isValidPackageName(dependency.name)) {
        report.error(`${report.name} importer ${quote(importer.path || '.')} links an invalid package name ${quote(dependency.name)}; it was skipped.`, dependency.span);
        continue;
      }
      const target = joinPath(importer.path, dependency.ref.slice('link:'.length));
      const manifest = paths.has(target) ? manifests.find((m) => m.path === target) : undefined;
      packages.set(key, {
        name: dependency.name,
        version: typeof manifest?.version === 'string' ? manifest.version : dependency.ref,
        key,
        resolved: target,
        dev: dependency.kind === 'dev',
        optional: dependency.kind === 'optional',
        peer: false,
        direct: true,
        source: paths.has(target) ? 'workspace' : 'link',
        via: [dependency.name],
        workspace: importer.path,
        location: report.locate(dependency.span),
      });
    }
  }
  return [...packages.values()];
}


