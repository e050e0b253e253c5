/** What pnpm lockfile keys and dependency references say: the package name and version, and where a reference points. */

import type { SpecSource } from '../types';
import { isSemverVersion, sourceOf } from './npm-paths';

/**
 * How package keys are written: `/name/1.2.3_peer@1.0.0` in lockfile 5.x, `/name@1.2.3(peer@1.0.0)` in
 * 6.x, `name@1.2.3(peer@1.0.0)` in 9.0 (where `packages` and `snapshots` are split).
 */
export type Layout = 'v5' | 'v6' | 'v9';

/** The name and version a registry package key names; undefined for keys of other shapes (folders, git, tarballs). */
export function parseKey(key: string, layout: Layout): { name: string; version: string } | undefined {
  if (layout === 'v5') {
    if (!key.startsWith('/')) return undefined;
    const segments = key.slice(1).split('/');
    const scoped = segments[0]?.startsWith('@') ?? false;
    if (segments.length !== (scoped ? 3 : 2)) return undefined;
    const name = scoped ? `${segments[0]}/${segments[1]}` : segments[0];
    // A peer or patch suffix follows the version after `_`, which semver never contains.
    const version = (segments[scoped ? 2 : 1] ?? '').split('_')[0];
    return name && version ? { name, version } : undefined;
  }
  const bare = layout === 'v6' ? (key.startsWith('/') ? key.slice(1) : undefined) : key;
  if (bare === undefined) return undefined;
  const at = bare.indexOf('@', 1);
  if (at <= 0) return undefined;
  const name = bare.slice(0, at);
  const version = withoutSuffix(bare.slice(at + 1));
  return version ? { name, version } : undefined;
}

/** A 9.0 snapshot key without its peer and patch suffixes: the key of its `packages` entry. */
export function packageKeyOf(snapshotKey: string): string {
  const paren = snapshotKey.indexOf('(', snapshotKey.indexOf('@', 1) + 1);
  return paren < 0 ? snapshotKey : snapshotKey.slice(0, paren);
}

/** `1.2.3(react@18.3.1)(patch_hash=…)` -> `1.2.3`. */
function withoutSuffix(version: string): string {
  const paren = version.indexOf('(');
  return paren < 0 ? version : version.slice(0, paren);
}

/** Where a dependency reference (`name: ref`) points: a package key, a linked folder, or nothing the lockfile lists. */
export type Target = { readonly key: string } | { readonly link: string } | undefined;

/**
 * Resolves `name: ref` as pnpm does: `link:` refs are folders; a plain version ref names the key
 * composed from name and ref (`/name/ref`, `/name@ref`, `name@ref`); any other ref (an alias such as
 * `/string-width@4.2.3`, a `file:` folder, a tarball) is itself a key.
 */
export function resolveRef(has: (key: string) => boolean, layout: Layout, name: string, ref: string): Target {
  if (ref.startsWith('link:')) return { link: ref.slice('link:'.length) };
  const composed = layout === 'v5' ? `/${name}/${ref}` : layout === 'v6' ? `/${name}@${ref}` : `${name}@${ref}`;
  if (has(composed)) return { key: composed };
  if (has(ref)) return { key: ref };
  return undefined;
}

/** `packages/b` + `../a` -> `packages/a`; '' is the root. Paths above the root keep their leading `../`. */
export function joinPath(from: string, relative: string): string {
  const parts = from === '' ? [] : from.split('/');
  for (const segment of relative.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(segment);
  }
  return parts.join('/');
}

/** The `resolution` of a package entry: how pnpm fetches it. */
export interface Resolution {
  readonly integrity?: string;
  readonly tarball?: string;
  readonly directory?: string;
  readonly type?: string;
  readonly repo?: string;
  readonly commit?: string;
}

/**
 * Where a package comes from, judged by its resolution. pnpm writes only `integrity` for packages of
 * the default registry, a `tarball` URL for other registries and for URL dependencies, `directory`
 * for `file:` folders and `type: git` (or a codeload.github.com tarball) for git dependencies.
 */
export function sourceOfResolution(resolution: Resolution, version: string): SpecSource {
  if (resolution.type === 'directory' || resolution.directory !== undefined) return 'file';
  if (resolution.type === 'git' || resolution.repo !== undefined || resolution.commit !== undefined) return 'git';
  if (resolution.tarball !== undefined) {
    if (/^https?:\/\/codeload\.github\.com\//i.test(resolution.tarball)) return 'git';
    return sourceOf(resolution.tarball, version);
  }
  // Other resolution types (`variations` for a Node.js runtime, `binary`) are downloads from elsewhere.
  if (resolution.type !== undefined) return 'url';
  return isSemverVersion(version) ? 'registry' : 'invalid';
}
