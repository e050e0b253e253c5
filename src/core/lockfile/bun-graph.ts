/** Resolves bun.lock's dependency edges as Bun does, and walks them from the workspaces to find who brings in each package. */

import type { BunEdge, BunEntry, BunImporter } from './bun-entry';
import { quote } from './npm-entry';
import type { Reach } from './npm-graph';
import { MAX_CHAIN } from './npm-graph';

/** One node of the key tree: `debug/ms` is the child `ms` of the child `debug` of the root. */
interface Scope {
  readonly parent?: Scope;
  readonly children: Map<string, Scope>;
  entry?: BunEntry;
}

/** An edge with the entry it resolves to. */
interface Link {
  readonly edge: BunEdge;
  readonly target: BunEntry;
}

/** Flags in the npm parser's sense: true when `--omit=<kind>` would leave the package out. */
export interface Flags {
  readonly dev: boolean;
  readonly optional: boolean;
  readonly peer: boolean;
}

export interface Walk {
  readonly reach: ReadonlyMap<BunEntry, Reach>;
  readonly flags: ReadonlyMap<BunEntry, Flags>;
  /** Required edges (not optional, peer or dev) that resolve to no entry: Bun refuses such a lockfile. `from` is a phrase. */
  readonly missing: readonly { readonly from: string; readonly name: string }[];
  /** Some chains were longer than MAX_CHAIN. */
  readonly tooDeep: boolean;
  /** The resolution budget ran out (only a crafted file gets there); later edges were not followed. */
  readonly exhausted: boolean;
}

/**
 * Caps the scope lookups of one file. Each edge costs one Map read per level of its package's key
 * (at most MAX_KEY_DEPTH), so a real lockfile uses a tiny fraction of this.
 */
const MAX_RESOLVE_STEPS = 5_000_000;

/**
 * Resolves every edge and walks the graph breadth-first from the importers.
 *
 * Resolution is Bun's (`PkgMap.findResolution`): a dependency `n` of the package at key `a/b` is
 * `a/b/n` if listed, else `a/n`, else `n`. The root's dependencies resolve to top-level keys; a
 * workspace's to `<workspace name>/n`, else `n`. Workspace entries (`name@workspace:path`) have no
 * edges of their own: their importer's dependencies are walked as that importer's. Every top-level
 * workspace entry counts as a dependency of the root, since Bun links it into the root's
 * node_modules. All importers' direct dependencies are placed first (root, then workspaces in order),
 * so each package gets its shortest chain and belongs to the first importer that declares it.
 */
export function walkBunGraph(entries: ReadonlyMap<string, BunEntry>, importers: readonly BunImporter[]): Walk {
  const root: Scope = { children: new Map() };
  const scopeOfEntry = new Map<BunEntry, Scope>();
  for (const entry of entries.values()) {
    let scope = root;
    for (const name of entry.path) {
      let child = scope.children.get(name);
      if (!child) scope.children.set(name, (child = { parent: scope, children: new Map() }));
      scope = child;
    }
    scope.entry = entry;
    scopeOfEntry.set(entry, scope);
  }
  let steps = 0;
  let exhausted = false;
  const resolve = (from: Scope, name: string): BunEntry | undefined => {
    for (let scope: Scope | undefined = from; scope; scope = scope.parent) {
      if (++steps > MAX_RESOLVE_STEPS) {
        exhausted = true;
        return undefined;
      }
      const found = scope.children.get(name)?.entry;
      if (found) return found;
    }
    return undefined;
  };
  const missing: { from: string; name: string }[] = [];
  const linksOf = (from: Scope, edges: readonly BunEdge[], label: string): Link[] =>
    edges.flatMap((edge) => {
      const target = exhausted ? undefined : resolve(from, edge.name);
      if (target) return [{ edge, target }];
      if (!exhausted && !edge.optional && !edge.peer && !edge.dev) missing.push({ from: label, name: edge.name });
      return [];
    });

  const workspaceLinks: Link[] = [...root.children.values()].flatMap((scope) =>
    scope.entry?.kind === 'workspace' ? [{ edge: { name: scope.entry.path[0], dev: false, optional: false, peer: false }, target: scope.entry }] : [],
  );
  const starts = importers.map((importer) => {
    const from = importer.path === '' || importer.name === undefined ? root : (root.children.get(importer.name) ?? root);
    const links = linksOf(from, importer.edges, importer.path === '' ? 'the root' : `workspace ${quote(importer.path)}`);
    return { path: importer.path, links: importer.path === '' ? [...links, ...workspaceLinks] : links };
  });
  if (!importers.some((i) => i.path === '')) starts.unshift({ path: '', links: workspaceLinks });
  const adjacency = new Map<BunEntry, Link[]>();
  for (const entry of entries.values()) {
    const scope = scopeOfEntry.get(entry);
    if (scope && entry.edges.length > 0) adjacency.set(entry, linksOf(scope, entry.edges, `package ${quote(entry.key)}`));
  }

  const { reach, tooDeep } = shortestChains(starts, adjacency);
  const notDev = reachable(starts, adjacency, (e) => !e.dev);
  const notOptional = reachable(starts, adjacency, (e) => !e.optional);
  const notPeer = reachable(starts, adjacency, (e) => !e.peer);
  const flags = new Map<BunEntry, Flags>();
  for (const entry of reach.keys()) {
    flags.set(entry, { dev: !notDev.has(entry), optional: !notOptional.has(entry), peer: !notPeer.has(entry) });
  }
  return { reach, flags, missing, tooDeep, exhausted };
}

type Starts = readonly { readonly path: string; readonly links: readonly Link[] }[];

function shortestChains(starts: Starts, adjacency: ReadonlyMap<BunEntry, readonly Link[]>): { reach: Map<BunEntry, Reach>; tooDeep: boolean } {
  const reach = new Map<BunEntry, Reach>();
  const queue: BunEntry[] = [];
  let tooDeep = false;
  const visit = (target: BunEntry, from: Reach | undefined, workspace: string): void => {
    if (reach.has(target)) return;
    if (from && from.via.length >= MAX_CHAIN) {
      tooDeep = true;
      return;
    }
    reach.set(target, { direct: from === undefined, via: [...(from?.via ?? []), target.name], workspace });
    queue.push(target);
  };
  for (const start of starts) for (const { target } of start.links) visit(target, undefined, start.path);
  for (let i = 0; i < queue.length; i++) {
    const from = reach.get(queue[i]);
    if (from) for (const { target } of adjacency.get(queue[i]) ?? []) visit(target, from, from.workspace);
  }
  return { reach, tooDeep };
}

/** The entries reachable from the importers over edges that `follow` accepts. */
function reachable(starts: Starts, adjacency: ReadonlyMap<BunEntry, readonly Link[]>, follow: (edge: BunEdge) => boolean): Set<BunEntry> {
  const seen = new Set<BunEntry>();
  const queue: BunEntry[] = [];
  const add = ({ edge, target }: Link): void => {
    if (!follow(edge) || seen.has(target)) return;
    seen.add(target);
    queue.push(target);
  };
  for (const start of starts) start.links.forEach(add);
  for (let i = 0; i < queue.length; i++) adjacency.get(queue[i])?.forEach(add);
  return seen;
}
