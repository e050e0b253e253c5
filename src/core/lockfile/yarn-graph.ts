/** Resolves yarn.lock dependency edges to entries and walks them from the importers: who brings in each package. */

import semver from 'semver';
import type { Reach } from './npm-graph';
import { MAX_CHAIN } from './npm-graph';
import { patchedDescriptor, splitDescriptor } from './yarn-descriptor';
import type { Edge, YarnEntry } from './yarn-entry';

/** A folder that declares dependencies: the root ('') or a workspace path. */
export interface YarnImporter {
  readonly path: string;
  /** Berry: the workspace's locator (`app@workspace:.`), which its relative descriptors are bound to. */
  readonly locator?: string;
  readonly edges: readonly Edge[];
}

/** Entry indexes an edge of the package (or importer) with locator `from` reaches. */
export type Resolve = (edge: Edge, from: string | undefined) => readonly number[];

/**
 * Resolves a descriptor as Yarn's lockfile does: the entry whose key lists it. Berry binds relative
 * descriptors (`link:`, `portal:`, `file:`, a patch file) to the declaring package with a
 * `::locator=` suffix, so that form is tried too. A descriptor no key lists (one rewritten by
 * `resolutions`) falls back to the entries of that name whose version satisfies its range. A patched
 * package and the package it is built from are reached together. Workspace entries are never targets.
 */
export function createResolver(entries: readonly YarnEntry[]): Resolve {
  const byDescriptor = new Map<string, number>();
  const byBareDescriptor = new Map<string, number>();
  const byName = new Map<string, number[]>();
  const patchesOf = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, index: number): void => {
    const list = map.get(key);
    if (list) list.push(index);
    else map.set(key, [index]);
  };
  entries.forEach((entry, index) => {
    for (const descriptor of entry.descriptors) {
      byDescriptor.set(descriptor, index);
      byBareDescriptor.set(descriptor.split('::')[0], index);
      const inner = patchedDescriptor(descriptor);
      if (inner !== undefined) push(patchesOf, inner, index);
    }
    push(byName, entry.name, index);
  });
  const find = (descriptor: string, from: string | undefined): number[] => {
    const exact =
      byDescriptor.get(descriptor) ??
      (from !== undefined ? byDescriptor.get(`${descriptor}::locator=${encodeURIComponent(from)}`) : undefined) ??
      byBareDescriptor.get(descriptor.split('::')[0]);
    if (exact !== undefined) return [exact];
    const parts = splitDescriptor(descriptor);
    const range = parts?.range.replace(/^npm:/, '');
    if (!parts || range === undefined || semver.validRange(range, { loose: true }) === null) return [];
    return (byName.get(parts.name) ?? []).filter((i) => {
      const candidate = entries[i];
      return candidate.source === 'registry' && semver.satisfies(candidate.version, range, { loose: true });
    });
  };
  // Each edge is resolved once per walk; the same descriptors recur across the walks and packages.
  const memo = new Map<string, readonly number[]>();
  return (edge, from) => {
    const memoKey = `${edge.descriptor}\0${from ?? ''}`;
    const known = memo.get(memoKey);
    if (known) return known;
    const found = find(edge.descriptor, from);
    const withPatches = new Set(found);
    for (const index of found) {
      for (const descriptor of entries[index].descriptors) {
        for (const patch of patchesOf.get(descriptor) ?? []) withPatches.add(patch);
        const inner = patchedDescriptor(descriptor);
        if (inner !== undefined) for (const base of find(inner, entries[index].locator)) withPatches.add(base);
      }
    }
    for (const patch of patchesOf.get(edge.descriptor) ?? []) withPatches.add(patch);
    const result = [...withPatches].filter((i) => entries[i].workspace === undefined);
    memo.set(memoKey, result);
    return result;
  };
}

export interface Walk {
  /** How each reached entry (by index) is reached: shortest chain, direct or not, which importer. */
  readonly reach: Map<number, Reach>;
  /** Entries reached from some importer's dependencies other than devDependencies. */
  readonly prod: ReadonlySet<number>;
  /** Entries reached without crossing an optional edge. */
  readonly required: ReadonlySet<number>;
  /** Entries reached at all (the chain cap does not apply here). */
  readonly reached: ReadonlySet<number>;
  readonly tooDeep: boolean;
}

/**
 * Breadth-first from the importers, as the npm parser walks: every importer's direct dependencies
 * first (root, then workspaces in order), so each package gets its shortest chain and belongs to the
 * first importer that declares it. Chains stop at MAX_CHAIN packages (`tooDeep` then says so). The
 * flags need whole reachability, so they come from separate walks without that cap.
 */
export function walkFromImporters(entries: readonly YarnEntry[], importers: readonly YarnImporter[], resolve: Resolve): Walk {
  const reach = new Map<number, Reach>();
  const queue: number[] = [];
  let tooDeep = false;
  const visit = (index: number, from: Reach | undefined, workspace: string): void => {
    if (reach.has(index)) return;
    if (from && from.via.length >= MAX_CHAIN) {
      tooDeep = true;
      return;
    }
    reach.set(index, { direct: from === undefined, via: [...(from?.via ?? []), entries[index].name], workspace });
    queue.push(index);
  };
  for (const importer of importers) {
    for (const edge of importer.edges) for (const index of resolve(edge, importer.locator)) visit(index, undefined, importer.path);
  }
  for (let i = 0; i < queue.length; i++) {
    const from = reach.get(queue[i]);
    const entry = entries[queue[i]];
    if (!from) continue;
    for (const edge of entry.edges) for (const index of resolve(edge, entry.locator)) visit(index, from, from.workspace);
  }
  const starts = (keep: (edge: Edge) => boolean): Start[] =>
    importers.flatMap((i) => i.edges.filter(keep).map((edge) => ({ edge, from: i.locator })));
  return {
    reach,
    prod: reachable(entries, starts((e) => e.dev !== true), () => true, resolve),
    required: reachable(entries, starts((e) => !e.optional), (e) => !e.optional, resolve),
    reached: reachable(entries, starts(() => true), () => true, resolve),
    tooDeep,
  };
}

interface Start {
  readonly edge: Edge;
  readonly from: string | undefined;
}

function reachable(entries: readonly YarnEntry[], starts: readonly Start[], follow: (edge: Edge) => boolean, resolve: Resolve): Set<number> {
  const seen = new Set<number>();
  const queue: number[] = [];
  const add = (index: number): void => {
    if (seen.has(index)) return;
    seen.add(index);
    queue.push(index);
  };
  for (const { edge, from } of starts) for (const index of resolve(edge, from)) add(index);
  for (let i = 0; i < queue.length; i++) {
    const entry = entries[queue[i]];
    for (const edge of entry.edges) if (follow(edge)) for (const index of resolve(edge, entry.locator)) add(index);
  }
  return seen;
}
