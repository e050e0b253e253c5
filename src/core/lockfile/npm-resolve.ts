/** Resolves a dependency name from a folder the way node does, over the packages a lockfile installs. */

import type { RawEntry } from './npm-entry';
import { nameFromPath } from './npm-paths';

/** Finds the package node would load for `name` when required from the folder `fromPath`. */
export type Resolve = (fromPath: string, name: string) => RawEntry | undefined;

/** One folder's `node_modules` contents, linked to the nearest enclosing folder that has any. */
interface Scope {
  readonly packages: ReadonlyMap<string, RawEntry>;
  readonly parent?: Scope;
}

/**
 * Node looks in `<dir>/node_modules/<name>` for each enclosing folder, nearest first, skipping
 * folders that are themselves named node_modules. Building each candidate path as a string costs
 * time in the path's length for every edge, which a crafted lockfile of very deep paths turns into
 * minutes; instead, each folder's packages are indexed once and chained to their enclosing folder,
 * so a lookup costs one small Map read per enclosing folder that has packages.
 */
export function createResolver(entries: ReadonlyMap<string, RawEntry>): Resolve {
  const byFolder = new Map<string, Map<string, RawEntry>>();
  for (const entry of entries.values()) {
    const name = entry.kind === 'package' ? nameFromPath(entry.key) : undefined;
    if (name === undefined) continue;
    const suffix = `node_modules/${name}`;
    const folder = entry.key === suffix ? '' : entry.key.slice(0, entry.key.length - suffix.length - 1);
    let packages = byFolder.get(folder);
    if (!packages) byFolder.set(folder, (packages = new Map()));
    packages.set(name, entry);
  }
  const scopes = new Map<string, Scope | undefined>();
  const scopeOf = (folder: string): Scope | undefined => {
    // Walk up to the nearest folder already known, then fill in the ones below it (no recursion:
    // a path's depth comes from the file).
    const pending: string[] = [];
    let scope: Scope | undefined;
    for (let current: string | undefined = folder; current !== undefined; current = parentOf(current)) {
      if (scopes.has(current)) {
        scope = scopes.get(current);
        break;
      }
      pending.push(current);
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      const packages = /(?:^|\/)node_modules$/.test(pending[i]) ? undefined : byFolder.get(pending[i]);
      if (packages) scope = { packages, parent: scope };
      scopes.set(pending[i], scope);
    }
    return scope;
  };
  return (fromPath, name) => {
    for (let scope = scopeOf(fromPath); scope; scope = scope.parent) {
      const found = scope.packages.get(name);
      if (found) return found;
    }
    return undefined;
  };
}

/**
 * The enclosing folder ('' for a top-level one), or undefined above the root. A folder outside the
 * project (`../lib`, linked with `file:../lib`) resolves in its own tree, never in the project's:
 * its walk stops at the first `..`, beyond which the lockfile records nothing.
 */
function parentOf(folder: string): string | undefined {
  if (folder === '' || folder === '..' || folder.endsWith('/..')) return undefined;
  const slash = folder.lastIndexOf('/');
  return slash < 0 ? '' : folder.slice(0, slash);
}
