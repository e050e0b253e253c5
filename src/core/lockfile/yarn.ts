/** Parses yarn.lock of Yarn classic (v1) and Yarn Berry (2+, `__metadata` versions 4 to 10) into a Lockfile. */

import type { LockedPackage, Lockfile, LockfileFormat } from '../types';
import type { Reporter } from './npm-entry';
import { quote } from './npm-entry';
import { MAX_CHAIN } from './npm-graph';
import { mergeSides, splitConflict } from './conflict';
import type { Parsers } from './load-parsers';
import { loadParsers } from './load-parsers';
import type { ImporterManifest } from './types';
import type { Block, Layout } from './yarn-blocks';
import { scanBlocks } from './yarn-blocks';
import { readBerryEntry, readBerryMetadata } from './yarn-berry';
import { readClassicEntry } from './yarn-classic';
import { normalizeBerryRange } from './yarn-descriptor';
import type { Edge, YarnEntry, YarnLockedPackage } from './yarn-entry';
import type { YarnImporter } from './yarn-graph';
import { createResolver, walkFromImporters } from './yarn-graph';
import { createYarnReporter, regenerateCommand } from './yarn-report';

export type { YarnLockedPackage } from './yarn-entry';

/** `__metadata.version` written by Yarn 2.0 (4) through Yarn 4.18 (10). */
const BERRY_VERSIONS = { min: 4, max: 10 };
/** Classic writes this comment; Yarn's own parsers tell the formats apart by it. */
const CLASSIC_HEADER = /^#\s+yarn\s+lockfile\s+v1\s*$/im;

/**
 * Parses a yarn.lock's text. Pure apart from loading the YAML parser for Berry; never throws.
 *
 * - `file` is the path reported in errors and locations.
 * - `importers` are the root's (`path: ''`) and the workspaces' package.json sections. Classic
 *   lockfiles record neither workspaces nor which dependencies are dev, so direct dependencies and
 *   the dev/optional flags come from these; without them, packages nothing depends on are taken as
 *   the root's dependencies. Berry lists each workspace with its dependencies (dev ones included,
 *   unmarked), so the importers only add which of those are devDependencies.
 *
 * Returns every locked package in lockfile order (workspaces excluded: their paths go to
 * `workspaces`), keyed by its descriptors as Yarn keys them. `name` is the registry name (an alias's
 * target), `via` a shortest chain of registry names. A Berry `patch:` package keeps the registry name
 * and version it is built from, with `patch` naming the patch. Yarn records no install-script flag,
 * so `hasInstallScript` is left out, and no peer is installed on its own, so `peer` is false.
 * Problems (merge-conflict markers, unknown formats, unreadable entries) become `errors` naming the
 * file, with a location when there is one; everything readable is still returned.
 */
export async function parseYarnLock(file: string, text: string, importers?: readonly ImporterManifest[]): Promise<Lockfile> {
  const conflict = splitConflict(text);
  if (!conflict) return parseText(file, text, importers);
  // Both sides are read, as Yarn itself does when it merges a conflicted lockfile on install.
  const ours = await parseText(file, conflict.ours, importers);
  const theirs = await parseText(file, conflict.theirs, importers);
  const report = createYarnReporter(file, text, ours.format);
  report.error(
    `${report.name} contains git merge-conflict markers; both sides were read. Resolve the conflict (\`${regenerateCommand(ours.format)}\` merges a conflicted yarn.lock) and commit the result.`,
    conflict.firstMarker,
  );
  return mergeSides(ours, theirs, report.errors(), identity);
}

async function parseText(file: string, text: string, importers: readonly ImporterManifest[] | undefined): Promise<Lockfile> {
  const layout = scanBlocks(text);
  const format = detectFormat(text, layout);
  const report = createYarnReporter(file, text, format);
  const empty = (lockfileVersion: number): Lockfile => ({ file, format: format ?? 'yarn-classic', lockfileVersion, packages: [], workspaces: [], errors: report.errors() });
  if (text.trim() === '') {
    report.error(`${report.name} is empty. Regenerate it with \`${regenerateCommand(undefined)}\`.`);
    return empty(0);
  }
  if (!format) {
    report.error(`${report.name} is neither a Yarn classic lockfile (no "# yarn lockfile v1" line) nor a Yarn Berry one (no __metadata entry); none of its packages were checked.`);
    return empty(0);
  }
  for (const span of layout.stray.slice(0, 1)) {
    report.error(`${report.name} has indented lines before its first entry; they were ignored.`, span);
  }
  let lockfileVersion = 1;
  let entries: YarnEntry[];
  if (format === 'yarn-berry') {
    const read = await readBerry(layout, text, report);
    lockfileVersion = read.version;
    entries = read.entries;
  } else entries = readEntries(layout.blocks, report, (block) => readClassicEntry(block, text, report));
  if (layout.endsMidLine && text.trim() !== '') {
    const end = { offset: text.length, length: 0 };
    const at = report.locate(end);
    report.error(`${report.name} ends in the middle of line ${at.line}: it looks truncated. The entries that could be read were used; regenerate it with \`${regenerateCommand(format)}\`.`, end);
  }
  const { packages, workspaces } = buildPackages(entries, format, importers, report);
  return { file, format, lockfileVersion, packages, workspaces, errors: report.errors() };
}

/** Berry has a `__metadata` entry (Yarn itself checks for that line); classic has its header comment. */
function detectFormat(text: string, layout: Layout): LockfileFormat | undefined {
  if (layout.blocks.some((b) => b.rawKey === '__metadata' && b.isEntry)) return 'yarn-berry';
  if (CLASSIC_HEADER.test(text.slice(0, 4096))) return 'yarn-classic';
  // A hand-cut file may have lost its header: the fields' syntax still tells.
  if (/^ {2}(?:version|resolution): /m.test(text)) return 'yarn-berry';
  if (/^ {2}version "/m.test(text)) return 'yarn-classic';
  return undefined;
}

async function readBerry(layout: Layout, text: string, report: Reporter): Promise<{ version: number; entries: YarnEntry[] }> {
  let parseSyml: Parsers['parseSyml'];
  try {
    ({ parseSyml } = await loadParsers());
  } catch (error) {
    report.error(`${report.name} could not be read: the YAML parser failed to load (${error instanceof Error ? error.message : String(error)}). Reinstall Dependency Risk.`);
    return { version: 0, entries: [] };
  }
  const metadataBlock = layout.blocks.find((b) => b.rawKey === '__metadata');
  const metadata = metadataBlock ? readBerryMetadata(metadataBlock, text, parseSyml) : undefined;
  const version = typeof metadata === 'object' ? metadata.version : undefined;
  const guess = 'it was read as best it could be, and packages may be missing';
  if (!metadataBlock) report.error(`${report.name} has no __metadata entry; ${guess}. Regenerate it with \`${regenerateCommand('yarn-berry')}\`.`);
  else if (version === undefined) {
    const why = typeof metadata === 'string' ? `an unreadable __metadata (${metadata})` : 'no __metadata version';
    report.error(`${report.name} has ${why}; ${guess}. Regenerate it with \`${regenerateCommand('yarn-berry')}\`.`, metadataBlock.span);
  } else if (version < BERRY_VERSIONS.min || version > BERRY_VERSIONS.max) {
    report.error(
      `${report.name} has __metadata version ${version}, which this version of Dependency Risk does not know (it reads ${BERRY_VERSIONS.min} to ${BERRY_VERSIONS.max}, written by Yarn 2 to 4); ${guess}. Update Dependency Risk.`,
      metadataBlock.span,
    );
  }
  const blocks = layout.blocks.filter((b) => b !== metadataBlock);
  return { version: version ?? 0, entries: readEntries(blocks, report, (block) => readBerryEntry(block, text, parseSyml, report)) };
}

/** Reads each block; a key written twice keeps its last entry, as Yarn's parsers do. */
function readEntries(blocks: readonly Block[], report: Reporter, read: (block: Block) => YarnEntry | undefined): YarnEntry[] {
  const byKey = new Map<string, YarnEntry>();
  for (const block of blocks) {
    if (!block.isEntry) {
      report.error(`${report.name} has a line at the top level that is not an entry key (\`key:\` alone on its line); it was ignored.`, block.span);
      continue;
    }
    const entry = read(block);
    if (!entry) continue;
    if (byKey.has(entry.key)) {
      report.error(`${report.name} lists ${quote(entry.key)} more than once; the last one was used, as Yarn does.`, block.span);
      byKey.delete(entry.key);
    }
    byKey.set(entry.key, entry);
  }
  return [...byKey.values()];
}

/** Walks the graph from the importers and turns entries into LockedPackages. */
function buildPackages(
  entries: readonly YarnEntry[],
  format: LockfileFormat,
  manifests: readonly ImporterManifest[] | undefined,
  report: Reporter,
): { packages: LockedPackage[]; workspaces: string[] } {
  const workspaceEntries = entries.filter((e) => e.workspace !== undefined);
  const resolve = createResolver(entries);
  let importers: YarnImporter[];
  if (workspaceEntries.length > 0) importers = workspaceEntries.map((e) => berryImporter(e, manifests?.find((m) => m.path === e.workspace)));
  else if (manifests && manifests.length > 0) importers = manifests.map((m) => manifestImporter(m, format));
  else importers = [{ path: '', edges: unrequired(entries, resolve) }];
  // The root first: a package declared by the root and a workspace belongs to the root.
  importers.sort((a, b) => (a.path === '' ? 0 : 1) - (b.path === '' ? 0 : 1));
  const walk = walkFromImporters(entries, importers, resolve);
  if (walk.tooDeep) {
    report.error(`${report.name} has dependency chains longer than ${MAX_CHAIN} packages; the packages deeper than that are listed without their chain.`);
  }
  const packages: YarnLockedPackage[] = [];
  entries.forEach((entry, index) => {
    if (entry.workspace !== undefined) return;
    const how = walk.reach.get(index);
    const reached = walk.reached.has(index);
    packages.push({
      name: entry.name,
      version: entry.version,
      key: entry.key,
      ...(entry.resolved !== undefined ? { resolved: entry.resolved } : {}),
      ...(entry.integrity !== undefined ? { integrity: entry.integrity } : {}),
      dev: reached && !walk.prod.has(index),
      optional: reached && !walk.required.has(index),
      peer: false,
      direct: how?.direct ?? false,
      source: entry.source,
      via: how?.via ?? [entry.name],
      workspace: how?.workspace ?? '',
      location: report.locate(entry.span),
      ...(entry.patch !== undefined ? { patch: entry.patch } : {}),
      ...(entry.checksum !== undefined ? { checksum: entry.checksum } : {}),
    });
  });
  const workspaces =
    workspaceEntries.length > 0
      ? workspaceEntries.flatMap((e) => (e.workspace ? [e.workspace] : []))
      : (manifests ?? []).flatMap((m) => (m.path !== '' ? [m.path] : []));
  return { packages, workspaces: [...new Set(workspaces)] };
}

/** A Berry workspace entry's dependencies (dev ones included), marked dev from its package.json when known. */
function berryImporter(entry: YarnEntry, manifest: ImporterManifest | undefined): YarnImporter {
  const prod = new Set([...keysOf(manifest?.dependencies), ...keysOf(manifest?.optionalDependencies)]);
  const dev = new Set(keysOf(manifest?.devDependencies).filter((name) => !prod.has(name)));
  const optional = new Set(keysOf(manifest?.optionalDependencies));
  const edges = entry.edges.map((edge): Edge => {
    const name = edge.descriptor.slice(0, edge.descriptor.indexOf('@', 1));
    return { ...edge, optional: edge.optional || optional.has(name), dev: dev.has(name) };
  });
  return { path: entry.workspace ?? '', locator: entry.locator, edges };
}

/** A classic importer: package.json's sections as descriptors (`name@range`, as classic keys them). */
function manifestImporter(manifest: ImporterManifest, format: LockfileFormat): YarnImporter {
  const edges: Edge[] = [];
  const declared = new Set<string>();
  const add = (section: Readonly<Record<string, string>> | undefined, flags: { optional: boolean; dev: boolean }): void => {
    for (const [name, spec] of entriesOf(section)) {
      if (declared.has(name)) continue;
      declared.add(name);
      edges.push({ descriptor: `${name}@${format === 'yarn-berry' ? normalizeBerryRange(spec) : spec}`, ...flags });
    }
  };
  add(manifest.dependencies, { optional: false, dev: false });
  add(manifest.optionalDependencies, { optional: true, dev: false });
  add(manifest.devDependencies, { optional: false, dev: true });
  return { path: manifest.path, edges };
}

/** Without package.json, the packages nothing else depends on stand for the root's dependencies. */
function unrequired(entries: readonly YarnEntry[], resolve: ReturnType<typeof createResolver>): Edge[] {
  const required = new Set<number>();
  for (const entry of entries) for (const edge of entry.edges) for (const i of resolve(edge, entry.locator)) if (entries[i] !== entry) required.add(i);
  return entries.flatMap((e, i) => (required.has(i) || e.workspace !== undefined ? [] : [{ descriptor: e.descriptors[0], optional: false }]));
}

/** Typed as records, but often straight from JSON.parse: take only string values of real objects. */
function entriesOf(section: unknown): [string, string][] {
  if (!section || typeof section !== 'object' || Array.isArray(section)) return [];
  return Object.entries(section).filter((pair): pair is [string, string] => typeof pair[1] === 'string');
}

function keysOf(section: unknown): string[] {
  return entriesOf(section).map(([name]) => name);
}

function identity(p: LockedPackage): string {
  return JSON.stringify([p.key, p.version, p.resolved ?? null, p.integrity ?? null, (p as YarnLockedPackage).checksum ?? null]);
}

