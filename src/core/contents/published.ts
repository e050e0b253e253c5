/** Reads what content inspection needs of one version from an untrusted packument: integrity, tarball URL and the registry's manifest. */

import type { PublishedManifest } from './types';

/** One version as the registry publishes it. */
export interface PublishedVersion {
  /** Subresource integrity (`sha512-…`), or `sha1-…` made from the legacy `shasum`; undefined when the registry gives neither. */
  readonly integrity?: string;
  readonly tarball?: string;
  readonly manifest: PublishedManifest;
}

/** `versions[version]` of `doc`, narrowed; undefined when the packument has no such version. */
export function readPublishedVersion(doc: unknown, version: string): PublishedVersion | undefined {
  const versions = own(doc, 'versions');
  const entry = own(versions, version);
  if (!isRecord(entry)) return undefined;
  const dist = own(entry, 'dist');
  const integrity = pickIntegrity(own(dist, 'integrity'), own(dist, 'shasum'));
  const tarball = own(dist, 'tarball');
  const scripts = stringRecord(own(entry, 'scripts'));
  const dependencies = stringRecord(own(entry, 'dependencies'));
  const optionalDependencies = stringRecord(own(entry, 'optionalDependencies'));
  const binValue = own(entry, 'bin');
  const bin = typeof binValue === 'string' ? { [String(own(entry, 'name') ?? '').replace(/^@[^/]+\//, '')]: binValue } : stringRecord(binValue);
  const manifest: PublishedManifest = {
    ...(scripts === undefined ? {} : { scripts }),
    ...(dependencies === undefined ? {} : { dependencies }),
    ...(optionalDependencies === undefined ? {} : { optionalDependencies }),
    ...(bin === undefined ? {} : { bin }),
    ...(own(entry, 'gypfile') === true ? { gypfile: true } : {}),
  };
  return {
    ...(integrity === undefined ? {} : { integrity }),
    ...(typeof tarball === 'string' && tarball.length <= 2048 ? { tarball } : {}),
    manifest,
  };
}

function pickIntegrity(integrity: unknown, shasum: unknown): string | undefined {
  if (typeof integrity === 'string') {
    // Several hashes may be listed; the strongest wins, as ssri picks it.
    const parts = integrity.trim().split(/\s+/).filter((part) => /^sha(?:512|384|256|1)-[A-Za-z0-9+/=]+$/.test(part));
    const rank = (part: string): number => ['sha1', 'sha256', 'sha384', 'sha512'].indexOf(part.slice(0, part.indexOf('-')));
    const best = parts.sort((a, b) => rank(b) - rank(a))[0];
    if (best !== undefined) return best;
  }
  if (typeof shasum === 'string' && /^[0-9a-f]{40}$/i.test(shasum)) return `sha1-${Buffer.from(shasum, 'hex').toString('base64')}`;
  return undefined;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function own(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
