/** Compares where a locked package comes from and which bytes it is: tarball URLs (with registry aliases) and integrity strings. */

import type { SpecSource } from '../types';

/** Host names that serve the public npm registry's own data: a URL on any of them is the same tarball. */
export const NPM_REGISTRY_ALIASES: readonly string[] = ['registry.npmjs.org', 'registry.npmjs.com', 'registry.yarnpkg.com'];

const CANONICAL_NPM_HOST = 'registry.npmjs.org';

/**
 * A tarball URL in one comparable form: lower-case host, a known alias of the npm registry as
 * `registry.npmjs.org`, no default port, no credentials, query or fragment (Yarn classic appends
 * `#sha1`), and `%2f` in a scoped name as `/`. Undefined when it is not an absolute URL.
 */
export function normaliseTarballUrl(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  const host = parsed.hostname.toLowerCase();
  const canonicalHost = NPM_REGISTRY_ALIASES.includes(host) ? CANONICAL_NPM_HOST : host;
  const port = parsed.port === '' ? '' : `:${parsed.port}`;
  const path = parsed.pathname.replace(/%2f/gi, '/').replace(/\/{2,}/g, '/');
  return `${parsed.protocol}//${canonicalHost}${port}${path}`;
}

/** `host[:port]` of a URL, with npm's aliases folded together; undefined for anything else. */
export function normalisedHost(url: string): string | undefined {
  const normal = normaliseTarballUrl(url);
  return normal === undefined ? undefined : new URL(normal).host;
}

/**
 * A URL for a message, cut to a readable length: for http(s) scheme, host and path only, so a token in
 * a query or user info is never shown; for git a user name and the commit fragment are kept, never a
 * password or query.
 */
export function describeUrl(url: string, max = 120): string {
  const cut = (text: string) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  // Specs that are not `scheme://` URLs (`file:vendor/x.tgz`, `github:a/b#ref`) carry no credentials.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || !URL.canParse(url)) return cut(url);
  const parsed = new URL(url);
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return cut(`${parsed.protocol}//${parsed.host}${parsed.pathname}`);
  // git URLs: a user name such as `git@` is kept, a password never; the fragment names the commit.
  const user = parsed.username !== '' && parsed.password === '' ? `${parsed.username}@` : '';
  return cut(`${parsed.protocol}//${user}${parsed.host}${parsed.pathname}${parsed.hash}`);
}

/** One side's source, as far as two sides can be compared. */
export interface SourceFacts {
  readonly resolved?: string;
  readonly source: SpecSource;
}

/**
 * Do two entries of the same version come from the same place? Different kinds (registry, git, url,
 * file) never do. Two URLs are compared after `normaliseTarballUrl`. An entry without a URL comes from
 * the registry the project is configured with, so it matches a URL on one of `registryHosts` (npm
 * omits `resolved` for the default registry; pnpm writes none for it).
 */
export function isSameSource(a: SourceFacts, b: SourceFacts, registryHosts: readonly string[]): boolean {
  if (a.source !== b.source) return false;
  if (a.resolved !== undefined && b.resolved !== undefined) {
    const left = normaliseTarballUrl(a.resolved);
    const right = normaliseTarballUrl(b.resolved);
    return left !== undefined && right !== undefined ? left === right : a.resolved === b.resolved;
  }
  const explicit = a.resolved ?? b.resolved;
  if (explicit === undefined) return true;
  const host = normalisedHost(explicit);
  return host !== undefined && registryHosts.map((h) => normalisedHost(h) ?? h).includes(host);
}

/** An SRI string (`sha512-… sha1-…`) as algorithm -> digests. Options after `?` are dropped. */
export function parseIntegrity(sri: string): Map<string, Set<string>> {
  const hashes = new Map<string, Set<string>>();
  for (const token of sri.trim().split(/\s+/)) {
    const match = /^(sha1|sha256|sha384|sha512)-([A-Za-z0-9+/=]+)(?:\?.*)?$/.exec(token);
    if (match === null) continue;
    const [, algorithm, digest] = match as unknown as [string, string, string];
    const set = hashes.get(algorithm) ?? new Set<string>();
    set.add(digest);
    hashes.set(algorithm, set);
  }
  return hashes;
}

/**
 * Compares two integrity strings on the algorithms both carry: `same` when one digest agrees,
 * `different` when they share an algorithm and no digest agrees, `unknown` when they share none
 * (a sha1-only lockfile against a sha512-only registry) or either is unreadable.
 */
export function compareIntegrity(a: string, b: string): 'same' | 'different' | 'unknown' {
  const left = parseIntegrity(a);
  const right = parseIntegrity(b);
  let shared = false;
  for (const [algorithm, digests] of left) {
    const other = right.get(algorithm);
    if (other === undefined) continue;
    shared = true;
    for (const digest of digests) if (other.has(digest)) return 'same';
  }
  return shared ? 'different' : 'unknown';
}

/** The strongest hash of an SRI string as `sha512-…` cut for a message, or the text cut. */
export function describeIntegrity(sri: string, max = 30): string {
  const oneLine = sri.trim().split(/\s+/)[0] ?? '';
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
