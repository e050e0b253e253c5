/** Reads Yarn descriptors (`name@range`) and Berry locators (`name@npm:1.2.3`, `patch:`, `portal:`…): names, protocols, sources. */

import semver from 'semver';
import { classifySpec } from '../spec';
import type { SpecSource } from '../types';
import { isSemverVersion, sourceOf } from './npm-paths';

/** `name@range` split at the `@` that ends the name (a scoped name starts with `@`). */
export function splitDescriptor(descriptor: string): { name: string; range: string } | undefined {
  const at = descriptor.indexOf('@', 1);
  if (at <= 0) return undefined;
  return { name: descriptor.slice(0, at), range: descriptor.slice(at + 1) };
}

const PROTOCOL = /^[a-z][a-z0-9+.-]*:/i;
const TAG = /^[a-z][\w.-]*$/i;

/**
 * A Berry range as Yarn stores it in lockfile keys: a bare semver range or dist-tag gets the default
 * `npm:` protocol (Yarn 3 writes `ms: ^2.1.3` in `dependencies` but keys the entry `ms@npm:^2.1.3`).
 */
export function normalizeBerryRange(range: string): string {
  if (PROTOCOL.test(range)) return range;
  return semver.validRange(range, { loose: true }) !== null || TAG.test(range) ? `npm:${range}` : range;
}

/** What a Berry resolution says about the package: where it comes from and what it really is. */
export interface BerryOrigin {
  readonly source: SpecSource;
  /** The registry name for `npm:` (and patched `npm:`) packages; the locator's name otherwise. */
  readonly name: string;
  /** The version a registry reference names (`npm:1.2.3`), when it names one. */
  readonly version?: string;
  /** For `patch:`: the patch file or builtin patch applied (`./patches/ms.patch`, `optional!builtin<compat/fsevents>`). */
  readonly patch?: string;
  /** For `workspace:`: the folder (`packages/a`; '' for the root). */
  readonly workspace?: string;
}

const GIT = /^(?:git\+[a-z]+:|git:|ssh:|github:|gitlab:|bitbucket:)/i;
/** Patches of patches are legal, but no real lockfile nests them deeply. */
const MAX_PATCH_DEPTH = 4;

/** Classifies a Berry locator or descriptor (`name@reference`). Undefined when it is not `name@something`. */
export function berryOrigin(locator: string, depth = 0): BerryOrigin | undefined {
  const parts = splitDescriptor(locator);
  if (!parts) return undefined;
  const { name, range } = parts;
  const protocol = PROTOCOL.exec(range)?.[0].toLowerCase();
  const body = protocol ? range.slice(protocol.length) : range;
  switch (protocol) {
    case undefined:
    case 'npm:': {
      // `npm:string-width@4.2.3` is an alias; Yarn resolves it to `string-width@npm:4.2.3`.
      const target = splitDescriptor(body);
      const version = (target ? target.range : body).split('::')[0];
      return { source: 'registry', name: target?.name ?? name, ...(isSemverVersion(version) ? { version } : {}) };
    }
    case 'patch:': {
      const hash = body.indexOf('#');
      const inner = decode(hash < 0 ? body : body.slice(0, hash));
      const origin = inner !== undefined && depth < MAX_PATCH_DEPTH ? berryOrigin(inner, depth + 1) : undefined;
      if (!origin) return { source: 'invalid', name };
      const patch = hash < 0 ? '' : body.slice(hash + 1).split('::')[0];
      return { ...origin, patch: origin.patch ? `${origin.patch}, ${patch}` : patch };
    }
    case 'workspace:': {
      const path = body.split('::')[0];
      return { source: 'workspace', name, workspace: path === '.' ? '' : path.replace(/^\.\//, '') };
    }
    case 'portal:':
    case 'link:':
      return { source: 'link', name };
    case 'file:':
    case 'exec:':
      // exec: builds the package by running a script from the project: not a registry package either.
      return { source: 'file', name };
    default:
      if (GIT.test(range) || /^https?:\/\/[^#]*\.git(?:#|$)/i.test(range)) return { source: 'git', name };
      if (/^https?:\/\//i.test(range)) return { source: 'url', name };
      return { source: 'invalid', name };
  }
}

/** The descriptor a `patch:` descriptor wraps, in normalised form, e.g. `fsevents@npm:~2.3.2`. */
export function patchedDescriptor(descriptor: string): string | undefined {
  const parts = splitDescriptor(descriptor);
  if (!parts?.range.startsWith('patch:')) return undefined;
  const body = parts.range.slice('patch:'.length);
  const hash = body.indexOf('#');
  const inner = decode(hash < 0 ? body : body.slice(0, hash));
  const innerParts = inner === undefined ? undefined : splitDescriptor(inner);
  return innerParts ? `${innerParts.name}@${normalizeBerryRange(innerParts.range)}` : undefined;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch (error) {
    // A malformed %-escape: the locator is unusable, and the caller reports the entry.
    void error;
    return undefined;
  }
}

/**
 * The source of a classic entry: what its descriptor asks for (`file:`, `link:`, git, a URL), and for
 * registry ranges what its `resolved` URL shows.
 */
export function classicSource(name: string, range: string, resolved: string | undefined, version: string): SpecSource {
  const spec = classifySpec(name, range);
  if (spec.source !== 'registry' && spec.source !== 'invalid') return spec.source;
  if (resolved !== undefined) return sourceOf(resolved, version);
  return isSemverVersion(version) && spec.source === 'registry' ? 'registry' : 'invalid';
}

/** The registry name a classic descriptor installs: the target of an `npm:` alias, else its own name. */
export function classicName(name: string, range: string): string {
  return classifySpec(name, range).registryName;
}
