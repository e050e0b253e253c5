/** Walks an npm lockfile's dependency edges from its importers to find who brings in each package. */

import type { RawEntry } from './npm-entry';
import type { Resolve } from './npm-resolve';

/** A folder that declares dependencies: the root ('') or a workspace path. */
export interface Importer {
  readonly path: string;
  readonly dependencies: readonly string[];
}

/**
 * The longest chain kept. Real trees are a few dozen deep; a crafted chain of thousands would
 * otherwise cost memory quadratic in its length, since every package carries its whole chain.
 */
export const MAX_CHAIN = 256;

/** How one package is reached. */
export interface Reach {
  readonly direct: boolean;
  /** Package names from a direct dependency down to this package, inclusive. */
  readonly via: readonly string[];
  readonly workspace: string;
}

/**
 * Breadth-first search from the importers' declared dependencies, so each package gets its shortest
 * chain. All importers' direct dependencies are placed first (root, then workspaces in order), so a
 * package declared anywhere is direct and belongs to the first importer that declares it. Each edge
 * is resolved as node resolves a require: the nearest `node_modules/<name>` walking up from the
 * dependent's folder (a link's dependencies from the linked folder). Edges to packages not in the
 * lockfile, such as uninstalled optional peers, are skipped. Unreached packages are absent, and so
 * are packages more than MAX_CHAIN steps down (`tooDeep` then says so).
 */
export function reachFromImporters(
  entries: ReadonlyMap<string, RawEntry>,
  importers: readonly Importer[],
  resolve: Resolve,
  nameOf: (entry: RawEntry) => string,
): { reach: Map<string, Reach>; tooDeep: boolean } {
  const reach = new Map<string, Reach>();
  const queue: RawEntry[] = [];
  const importerPaths = new Set(importers.map((i) => i.path));
  let tooDeep = false;
  const visit = (target: RawEntry | undefined, from: Reach | undefined, workspace: string): void => {
    if (!target || reach.has(target.key)) return;
    if (from && from.via.length >= MAX_CHAIN) {
      tooDeep = true;
      return;
    }
    const via = [...(from?.via ?? []), nameOf(target)];
    reach.set(target.key, { direct: from === undefined, via, workspace });
    queue.push(target);
  };
  for (const importer of importers) {
    for (const name of importer.dependencies) visit(resolve(importer.path, name), undefined, importer.path);
  }
  for (let i = 0; i < queue.length; i++) {
    const entry = queue[i];
    const from = reach.get(entry.key);
    const edges = edgesOf(entries, entry, importerPaths);
    if (!from || !edges) continue;
    for (const name of edges.names) visit(resolve(edges.path, name), from, from.workspace);
  }
  return { reach, tooDeep };
}

/**
 * The names a package depends on and the folder they resolve from. A link's edges are its target
 * folder's (devDependencies included: npm installs them for linked folders, which it treats as tops);
 * a link to an importer has none here, since that importer's dependencies are walked as its own.
 */
function edgesOf(
  entries: ReadonlyMap<string, RawEntry>,
  entry: RawEntry,
  importerPaths: ReadonlySet<string>,
): { path: string; names: readonly string[] } | undefined {
  if (!entry.link) return { path: entry.key, names: entry.dependencies };
  if (entry.resolved !== undefined && importerPaths.has(entry.resolved)) return undefined;
  const target = entry.resolved === undefined ? undefined : entries.get(entry.resolved);
  if (target && target.kind !== 'package') return { path: target.key, names: [...target.dependencies, ...target.devDependencies] };
  return { path: entry.key, names: entry.dependencies };
}
