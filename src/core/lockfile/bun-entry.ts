/** Reads the `packages` map of bun.lock (key -> `["name@resolution", …]`) and its `workspaces` into plain records. */

import type { Node } from 'jsonc-parser';
import { isValidPackageName } from '../spec';
import type { SpecSource } from '../types';
import { REWRITE } from './bun-report';
import type { Reporter } from './reporter';
import { quote } from './npm-entry';
import { booleanOf, keysOf, propertiesOf, stringOf, stringsOf, valueOf } from './npm-json';
import { isSemverVersion } from './npm-paths';

/** One dependency edge as bun.lock lists it; `optional` covers optionalDependencies and `optionalPeers`. */
export interface BunEdge {
  readonly name: string;
  readonly dev: boolean;
  readonly optional: boolean;
  readonly peer: boolean;
}

/** What a resolution string says a package is (Bun's `Resolution` tags). */
export type BunKind = 'npm' | 'workspace' | 'folder' | 'link' | 'tarball' | 'remote' | 'git' | 'github' | 'root' | 'unknown';

/** One usable entry of `packages`. */
export interface BunEntry {
  readonly key: string;
  readonly keyNode: Node;
  /** The key as the chain of installed names it stands for: `debug/ms` -> ['debug', 'ms']. */
  readonly path: readonly string[];
  /** The real package name, from the resolution string (an alias's target). */
  readonly name: string;
  readonly kind: BunKind;
  /** The resolution after `name@`: a version, `workspace:packages/a`, `file:lib`, a URL… */
  readonly resolution: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly hasInstallScript?: boolean;
  readonly bundled: boolean;
  readonly edges: readonly BunEdge[];
}

/** One `workspaces` entry: '' is the root, any other key a workspace folder. */
export interface BunImporter {
  readonly path: string;
  readonly keyNode: Node;
  readonly name?: string;
  readonly version?: string;
  readonly edges: readonly BunEdge[];
}

/** Bun's text lockfile keeps a path within its own path buffer; no real key comes near this depth. */
export const MAX_KEY_DEPTH = 256;

/** Every `workspaces` entry in document order (a repeated path: the last one, as JSON readers keep). */
export function readImporters(workspaces: Node, report: Reporter): BunImporter[] {
  const byPath = new Map<string, BunImporter>();
  for (const { key, keyNode, value } of propertiesOf(workspaces)) {
    if (value?.type !== 'object') {
      report.error(`${report.name} workspace ${quote(key)} is not an object; it was skipped.`, keyNode);
      continue;
    }
    const name = stringOf(value, 'name');
    if (key !== '' && (name === undefined || !isValidPackageName(name))) {
      report.error(`${report.name} workspace ${quote(key)} has no valid package name; its dependencies were not followed.`, keyNode);
      continue;
    }
    const version = stringOf(value, 'version');
    byPath.delete(key);
    byPath.set(key, { path: key, keyNode, ...(name !== undefined ? { name } : {}), ...(version !== undefined ? { version } : {}), edges: readEdges(value) });
  }
  return [...byPath.values()];
}

/**
 * Every usable entry of `packages`, in document order, keyed by its key in a Map (so `__proto__` stays
 * a plain string). Unusable entries are reported with their key's location and left out.
 */
export function readPackages(packages: Node, lockfileVersion: number, report: Reporter): Map<string, BunEntry> {
  const entries = new Map<string, BunEntry>();
  for (const { key, keyNode, value } of propertiesOf(packages)) {
    if (entries.has(key)) {
      report.error(`${report.name} lists ${quote(key)} more than once in "packages"; the last one was used.`, keyNode);
      entries.delete(key);
    }
    const entry = readEntry(key, keyNode, value, lockfileVersion, report);
    if (entry) entries.set(key, entry);
  }
  return entries;
}

function readEntry(key: string, keyNode: Node, value: Node | undefined, lockfileVersion: number, report: Reporter): BunEntry | undefined {
  const where = `${report.name} entry ${quote(key)}`;
  const path = splitKey(key);
  if (typeof path === 'string') {
    report.error(`${where} ${path}; it was skipped.`, keyNode);
    return undefined;
  }
  const items = value?.type === 'array' ? (value.children ?? []) : undefined;
  const first = items?.[0];
  if (!items || first?.type !== 'string' || typeof first.value !== 'string') {
    report.error(`${where} is not an array that starts with "name@resolution"; it was skipped.`, keyNode);
    return undefined;
  }
  const id = first.value;
  const at = id.startsWith('@root:') ? 0 : id.indexOf('@', 1);
  const name = id.slice(0, Math.max(at, 0));
  const resolution = at < 0 ? '' : id.slice(at + 1);
  if (at < 0 || (name !== '' && !isValidPackageName(name))) {
    report.error(`${where} does not start with a valid "name@resolution" (${quote(id)}); it was skipped.`, keyNode);
    return undefined;
  }
  const kind = kindOf(resolution);
  if (kind === 'unknown') report.error(`${where} has a resolution Bun does not write, ${quote(resolution)}; it is listed as an invalid source.`, keyNode);
  const shape = SHAPES[kind === 'workspace' && lockfileVersion === 0 ? 'workspace-v0' : kind];
  const info = shape.info === undefined ? undefined : items[shape.info];
  if (shape.info !== undefined && info?.type !== 'object') {
    report.error(`${where} has no dependencies object; its dependencies were not followed.`, keyNode);
  }
  const registry = shape.registry === undefined ? undefined : stringAt(items, shape.registry);
  const integrity = shape.integrity === undefined ? undefined : stringAt(items, shape.integrity);
  if (kind === 'npm' && (registry === undefined || integrity === undefined)) {
    report.error(`${where} lacks its registry or integrity string, so Bun would refuse to load it; ${REWRITE}.`, keyNode);
  }
  const hasInstallScript = booleanOf(info, 'hasInstallScript');
  return {
    key,
    keyNode,
    path,
    name,
    kind,
    resolution,
    ...resolvedOf(kind, resolution, registry),
    ...(integrity ? { integrity } : {}),
    ...(hasInstallScript !== undefined ? { hasInstallScript } : {}),
    bundled: booleanOf(info, 'bundled') === true,
    edges: kind === 'workspace' || kind === 'root' ? [] : readEdges(info),
  };
}

/** Where each part of an entry array sits, by kind (see Bun's bun.lock writer). */
const SHAPES: Record<BunKind | 'workspace-v0', { readonly info?: number; readonly registry?: number; readonly integrity?: number }> = {
  npm: { registry: 1, info: 2, integrity: 3 },
  folder: { info: 1 },
  link: { info: 1 },
  tarball: { info: 1, integrity: 2 },
  remote: { info: 1, integrity: 2 },
  // [1] is the `.bun-tag` (the resolved commit's folder name), [3] an optional integrity.
  git: { info: 1, integrity: 3 },
  github: { info: 1, integrity: 3 },
  workspace: {},
  // lockfileVersion 0 also listed a workspace's dependencies in its entry; the `workspaces` copy is used.
  'workspace-v0': {},
  root: {},
  unknown: {},
};

function stringAt(items: readonly Node[], index: number): string | undefined {
  const item = items[index];
  return item?.type === 'string' && typeof item.value === 'string' ? item.value : undefined;
}

/** The resolution's kind, in the order Bun's `Resolution.fromTextLockfile` tests them. */
export function kindOf(resolution: string): BunKind {
  if (resolution.startsWith('root:')) return 'root';
  if (resolution.startsWith('link:')) return 'link';
  if (resolution.startsWith('workspace:')) return 'workspace';
  if (resolution.startsWith('file:')) return 'folder';
  if (/^(?:git\+|git:\/\/|git@|ssh:\/\/)/i.test(resolution)) return 'git';
  if (resolution.startsWith('github:')) return 'github';
  if (/^https?:\/\//i.test(resolution)) return 'remote';
  if (/\.(?:tgz|tar\.gz|tar)$/i.test(resolution.split(/[?#]/)[0])) return 'tarball';
  return isSemverVersion(resolution) && !resolution.startsWith('v') ? 'npm' : 'unknown';
}

/** `resolved` as the npm parser reports it: a folder's path, a URL or git spec, a custom registry's tarball. */
function resolvedOf(kind: BunKind, resolution: string, registry: string | undefined): { resolved?: string } {
  switch (kind) {
    // An empty registry string means the default registry (or the scope's), whose URL Bun rebuilds.
    case 'npm':
      return registry ? { resolved: registry } : {};
    case 'folder':
    case 'link':
    case 'workspace':
      return { resolved: resolution.slice(resolution.indexOf(':') + 1) };
    case 'root':
    case 'unknown':
      return {};
    default:
      return { resolved: resolution };
  }
}

/** Which kind of package source each kind is, in the engine's terms. */
export function sourceOfKind(kind: BunKind): SpecSource {
  const sources: Record<BunKind, SpecSource> = {
    npm: 'registry',
    workspace: 'workspace',
    folder: 'file',
    tarball: 'file',
    link: 'link',
    remote: 'url',
    git: 'git',
    github: 'git',
    root: 'link',
    unknown: 'invalid',
  };
  return sources[kind];
}

/** The dependency edges of an entry's or a workspace's object, in Bun's group order. */
function readEdges(info: Node | undefined): BunEdge[] {
  if (info?.type !== 'object') return [];
  const optionalPeers = new Set(stringsOf(valueOf(info, 'optionalPeers')));
  const edge = (name: string, dev: boolean, optional: boolean, peer: boolean): BunEdge => ({ name, dev, optional, peer });
  return [
    ...keysOf(info, 'dependencies').map((n) => edge(n, false, false, false)),
    ...keysOf(info, 'devDependencies').map((n) => edge(n, true, false, false)),
    ...keysOf(info, 'optionalDependencies').map((n) => edge(n, false, true, false)),
    ...keysOf(info, 'peerDependencies').map((n) => edge(n, false, optionalPeers.has(n), true)),
  ];
}

/**
 * The installed names a key stands for (`@s/a/b` -> ['@s/a', 'b']), or why it cannot be a key: Bun
 * walks keys name by name when it resolves a dependency, so each part must be a package name.
 */
export function splitKey(key: string): string[] | string {
  const segments = key.split('/');
  if (segments.length > MAX_KEY_DEPTH * 2) return `nests packages more than ${MAX_KEY_DEPTH} deep`;
  const names: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const name = segments[i].startsWith('@') ? `${segments[i]}/${segments[++i] ?? ''}` : segments[i];
    if (!isValidPackageName(name)) return `is not a path of package names (${quote(name)} is not one)`;
    names.push(name);
  }
  if (names.length > MAX_KEY_DEPTH) return `nests packages more than ${MAX_KEY_DEPTH} deep`;
  return names;
}
