/** Reads the package entries of a pnpm lockfile: `packages` in 5.x/6.x, `packages` joined with `snapshots` in 9.0. */

import { isValidPackageName } from '../spec';
import type { SpecSource } from '../types';
import { quote } from './npm-entry';
import type { Layout, Resolution } from './pnpm-keys';
import { packageKeyOf, parseKey, sourceOfResolution } from './pnpm-keys';
import type { Reporter } from './pnpm-report';
import { count } from './pnpm-report';
import type { Entry, Span, YamlReader } from './pnpm-yaml';

/** One dependency edge of a package: `name: ref`, from `dependencies` or `optionalDependencies`. */
export interface Edge {
  readonly name: string;
  readonly ref: string;
  readonly optional: boolean;
  /** The name is one of the package's `peerDependencies` (pnpm lists resolved peers among the dependencies). */
  readonly peer: boolean;
}

/** One installed package: a `packages` key (5.x/6.x) or a `snapshots` key (9.0), peer and patch suffixes included. */
export interface PnpmEntry {
  readonly key: string;
  /** The key to point at: the `packages` key, which holds the resolution (in 9.0 shared by its snapshots). */
  readonly span: Span;
  readonly name: string;
  readonly version: string;
  readonly resolution: Resolution;
  readonly source: SpecSource;
  /** `requiresBuild` (5.x/6.x); undefined in 9.0, which no longer records it. */
  readonly hasInstallScript?: boolean;
  /** The file's own flags (5.x/6.x); undefined in 9.0, where they are derived from the importers. */
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly edges: readonly Edge[];
}

/** Every usable package entry by key, in document order. Unusable ones are reported and left out. */
export function readEntries(root: unknown, layout: Layout, y: YamlReader, report: Reporter): Map<string, PnpmEntry> {
  const packages = uniqueEntries(y.valueOf(root, 'packages'), 'packages', y, report);
  const entries = new Map<string, PnpmEntry>();
  if (layout !== 'v9') {
    for (const entry of packages.values()) {
      const read = readEntry(entry.key, entry, entry, layout, y, report);
      if (read) entries.set(entry.key, read);
    }
    return entries;
  }
  const snapshots = uniqueEntries(y.valueOf(root, 'snapshots'), 'snapshots', y, report);
  const described = new Set<string>();
  const undescribed: string[] = [];
  for (const snapshot of snapshots.values()) {
    const info = packages.get(packageKeyOf(snapshot.key)) ?? packages.get(snapshot.key);
    if (info) described.add(info.key);
    else undescribed.push(snapshot.key);
    const read = readEntry(snapshot.key, info ?? snapshot, snapshot, layout, y, report);
    if (read) entries.set(snapshot.key, read);
  }
  // A file cut short, or edited by hand, may describe packages that no snapshot installs.
  const unsnapped = [...packages.values()].filter((p) => !described.has(p.key) && !snapshots.has(p.key));
  for (const info of unsnapped) {
    const read = readEntry(info.key, info, undefined, layout, y, report);
    if (read) entries.set(info.key, read);
  }
  if (undescribed.length > 0) {
    report.error(`${report.name} has ${count(undescribed.length, 'snapshot')} with no entry in "packages" (first: ${quote(undescribed[0])}); read without a resolution or integrity.`);
  }
  if (unsnapped.length > 0) {
    report.error(`${report.name} has ${count(unsnapped.length, 'entry', 'entries')} in "packages" with no snapshot (first: ${quote(unsnapped[0].key)}); read without dependencies.`);
  }
  return entries;
}

/** A map's entries by key; a duplicate key is reported and the last one kept, as js-yaml would (if it did not refuse). */
function uniqueEntries(node: unknown, section: string, y: YamlReader, report: Reporter): Map<string, Entry> {
  const byKey = new Map<string, Entry>();
  if (node === undefined || node === null) return byKey;
  if (!y.isMapNode(node)) {
    report.error(`${report.name} has a "${section}" that is not a map; it was ignored.`, y.spanOf(node));
    return byKey;
  }
  for (const entry of y.entriesOf(node)) {
    if (byKey.has(entry.key)) {
      report.error(`${report.name} lists ${quote(entry.key)} more than once in "${section}"; the last one was used (pnpm itself refuses duplicate keys).`, entry.keySpan);
      byKey.delete(entry.key);
    }
    byKey.set(entry.key, entry);
  }
  return byKey;
}

/**
 * Reads one package from `info` (the entry with name, version, resolution and flags) and `graph`
 * (the entry with its dependencies: the same entry before 9.0, its snapshot in 9.0).
 */
function readEntry(key: string, info: Entry, graph: Entry | undefined, layout: Layout, y: YamlReader, report: Reporter): PnpmEntry | undefined {
  const where = `${report.name} entry ${quote(key)}`;
  const value = info.value;
  if (!y.isMapNode(value) || (graph && !y.isMapNode(graph.value))) {
    report.error(`${where} is not a map; it was skipped.`, (graph && !y.isMapNode(graph.value) ? graph : info).keySpan);
    return undefined;
  }
  const parsed = parseKey(key, layout);
  const name = y.stringOf(value, 'name') ?? parsed?.name;
  // Keys of folders and URLs (`file:lib` in 6.x) are their own version when no `version` field says otherwise.
  const version = y.stringOf(value, 'version') ?? parsed?.version ?? key;
  if (name === undefined) {
    report.error(`${where} names no package (it has no "name" and is not a name@version key); it was skipped.`, info.keySpan);
    return undefined;
  }
  if (!isValidPackageName(name)) {
    report.error(`${where} names an invalid package ${quote(name)}; it was skipped.`, info.keySpan);
    return undefined;
  }
  const resolution = readResolution(y.valueOf(value, 'resolution'), y);
  const peers = new Set(y.entriesOf(y.valueOf(value, 'peerDependencies')).map((e) => e.key));
  const edges = (optional: boolean, section: string): Edge[] =>
    y.entriesOf(y.valueOf(graph?.value, section)).flatMap((e) => {
      const ref = y.textOf(e.value);
      return ref ? [{ name: e.key, ref, optional, peer: peers.has(e.key) }] : [];
    });
  return {
    key,
    span: info.keySpan,
    name,
    version,
    resolution,
    source: sourceOfResolution(resolution, version),
    ...(layout === 'v9' ? {} : { hasInstallScript: y.isTrue(value, 'requiresBuild'), dev: y.isTrue(value, 'dev'), optional: y.isTrue(value, 'optional') }),
    edges: [...edges(false, 'dependencies'), ...edges(true, 'optionalDependencies')],
  };
}

function readResolution(node: unknown, y: YamlReader): Resolution {
  const fields = ['integrity', 'tarball', 'directory', 'type', 'repo', 'commit'] as const;
  const resolution: Record<string, string> = {};
  for (const field of fields) {
    const text = y.stringOf(node, field);
    if (text !== undefined) resolution[field] = text;
  }
  return resolution;
}
