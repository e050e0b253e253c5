/** Walks a pnpm lockfile's dependency edges from its importers: who brings in each package, and whether only dev, optional or peer edges reach it. */

import { MAX_CHAIN } from './npm-graph';
import type { PnpmEntry } from './pnpm-entries';
import type { PnpmImporter } from './pnpm-importers';
import type { Layout } from './pnpm-keys';
import { resolveRef } from './pnpm-keys';

/** How one package is reached. */
export interface Reach {
  readonly direct: boolean;
  /** Package names from a direct dependency down to this package, inclusive. */
  readonly via: readonly string[];
  readonly workspace: string;
}

/** Which kinds of edges reach a package: each flag is true when only edges of that kind do (pnpm's own `dev` and `optional`). */
export interface Kinds {
  readonly dev: boolean;
  readonly optional: boolean;
  readonly peer: boolean;
}

export interface Walk {
  readonly reach: ReadonlyMap<string, Reach>;
  readonly kinds: ReadonlyMap<string, Kinds>;
  /** Chains were cut at MAX_CHAIN packages. */
  readonly tooDeep: boolean;
  /** References to keys the lockfile does not list: `from` is a package key, or an importer id (`.`). */
  readonly missing: readonly { readonly from: string; readonly importer: boolean; readonly name: string; readonly ref: string }[];
}

type Source = { readonly importer: PnpmImporter; readonly key: string };

/**
 * Breadth-first search from the importers' declared dependencies, so each package gets its shortest
 * chain. All importers' direct dependencies come first (root, then workspaces in order), so a package
 * declared anywhere is direct and belongs to the first importer that declares it. `link:` references
 * lead nowhere: a linked workspace is walked as its own importer, and pnpm does not record the
 * dependencies of other linked folders. Packages more than MAX_CHAIN steps down keep no chain.
 */
export function walkFromImporters(entries: ReadonlyMap<string, PnpmEntry>, importers: readonly PnpmImporter[], layout: Layout): Walk {
  const has = (key: string): boolean => entries.has(key);
  const missing: Walk['missing'][number][] = [];
  const targetOf = (from: string, importer: boolean, name: string, ref: string): PnpmEntry | undefined => {
    const target = resolveRef(has, layout, name, ref);
    if (target === undefined) missing.push({ from, importer, name, ref });
    return target && 'key' in target ? entries.get(target.key) : undefined;
  };
  const sources: Source[] = [];
  for (const importer of importers) {
    for (const dependency of importer.dependencies) {
      const target = targetOf(importer.path === '' ? '.' : importer.path, true, dependency.name, dependency.ref);
      if (target) sources.push({ importer, key: target.key });
    }
  }
  const reach = new Map<string, Reach>();
  const queue: PnpmEntry[] = [];
  let tooDeep = false;
  const visit = (target: PnpmEntry | undefined, from: Reach | undefined, workspace: string): void => {
    if (!target || reach.has(target.key)) return;
    if (from && from.via.length >= MAX_CHAIN) {
      tooDeep = true;
      return;
    }
    reach.set(target.key, { direct: from === undefined, via: [...(from?.via ?? []), target.name], workspace });
    queue.push(target);
  };
  for (const source of sources) visit(entries.get(source.key), undefined, source.importer.path);
  for (let i = 0; i < queue.length; i++) {
    const entry = queue[i];
    const from = reach.get(entry.key);
    for (const edge of entry.edges) visit(targetOf(entry.key, false, edge.name, edge.ref), from, from?.workspace ?? '');
  }
  return { reach, kinds: kindsOf(entries, importers, layout), tooDeep, missing };
}

/**
 * A package is dev when no path from a production or optional dependency of any importer reaches it,
 * optional when every path passes an optional edge, and peer when every path passes a peer edge.
 * Each is one unbounded reachability pass (no chains kept, so no cap is needed).
 */
function kindsOf(
  entries: ReadonlyMap<string, PnpmEntry>,
  importers: readonly PnpmImporter[],
  layout: Layout,
): Map<string, Kinds> {
  const has = (key: string): boolean => entries.has(key);
  const pass = (startKinds: readonly string[], followOptional: boolean, followPeer: boolean): Set<string> => {
    const seen = new Set<string>();
    const queue: PnpmEntry[] = [];
    const add = (name: string, ref: string): void => {
      const target = resolveRef(has, layout, name, ref);
      const entry = target && 'key' in target ? entries.get(target.key) : undefined;
      if (entry && !seen.has(entry.key)) {
        seen.add(entry.key);
        queue.push(entry);
      }
    };
    for (const importer of importers) for (const d of importer.dependencies) if (startKinds.includes(d.kind)) add(d.name, d.ref);
    for (let i = 0; i < queue.length; i++) {
      for (const edge of queue[i].edges) if ((followOptional || !edge.optional) && (followPeer || !edge.peer)) add(edge.name, edge.ref);
    }
    return seen;
  };
  const production = pass(['prod', 'optional'], true, true);
  const required = pass(['prod', 'dev'], false, true);
  const own = pass(['prod', 'dev', 'optional'], true, false);
  const all = pass(['prod', 'dev', 'optional'], true, true);
  const kinds = new Map<string, Kinds>();
  for (const key of entries.keys()) {
    if (!all.has(key)) continue;
    kinds.set(key, { dev: !production.has(key), optional: !required.has(key), peer: !own.has(key) });
  }
  return kinds;
}
