/** Names, install paths and sources of npm lockfile entries: what a key or a `resolved` string says. */

import type { SpecSource } from '../types';

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const GIT = /^(?:git\+[a-z]+:|git:|ssh:|github:|gitlab:|bitbucket:|gist:)/i;
const TARBALL_FILE = /\.(?:tgz|tar\.gz|tar)$/i;

export function isSemverVersion(version: string | undefined): boolean {
  return version !== undefined && SEMVER.test(version);
}

/**
 * Checks a `packages` key: a relative, forward-slash path with no empty, `.` or `..` segment.
 * npm joins these keys to the project folder, so `node_modules/../../x` would point outside it.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.includes('\\') || path.includes('\0') || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * The package name installed at a path (`node_modules/a/node_modules/@s/b` -> `@s/b`), or undefined
 * for a folder that is not inside a `node_modules` (the root, a workspace, a linked folder).
 */
export function nameFromPath(path: string): string | undefined {
  const segments = path.split('/');
  const last = segments.length - 1;
  if (last >= 1 && segments[last - 1] === 'node_modules' && !segments[last].startsWith('@')) return segments[last];
  if (last >= 2 && segments[last - 2] === 'node_modules' && segments[last - 1].startsWith('@')) {
    return `${segments[last - 1]}/${segments[last]}`;
  }
  return undefined;
}

/**
 * Where a locked package comes from, judged by its `resolved` string (or version when there is none).
 * A registry tarball has npm's `<registry>/<name>/-/<file>.tgz` shape; any other http(s) URL is `url`.
 * The shape does not prove the host is the configured registry: the tarball-url rules check that.
 */
export function sourceOf(resolved: string | undefined, version: string | undefined): SpecSource {
  if (resolved === undefined) return isSemverVersion(version) ? 'registry' : 'invalid';
  if (GIT.test(resolved)) return 'git';
  if (resolved.startsWith('file:')) return 'file';
  if (/^https?:\/\//i.test(resolved)) return isRegistryTarball(resolved) ? 'registry' : 'url';
  return 'invalid';
}

export function isRegistryTarball(url: string): boolean {
  return URL.canParse(url) && /\/-\/[^/]+\.tgz$/i.test(new URL(url).pathname);
}

/** Is this a git spec or URL as npm writes them (`git+ssh://…`, `github:user/repo`, …)? */
export function isGitSpec(spec: string): boolean {
  return GIT.test(spec);
}

/** Is a `file:` spec a tarball (installed as a copy) rather than a folder (installed as a link)? */
export function isTarballSpec(spec: string): boolean {
  return TARBALL_FILE.test(spec.split(/[?#]/)[0]);
}

/**
 * Does a folder path match one of the root's `workspaces` patterns? Supports what npm's
 * workspaces use in practice: literal paths, `*` within a segment, `**` across segments, `?`.
 */
export function matchesWorkspaces(path: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => globToRegExp(pattern).test(path));
}

function globToRegExp(pattern: string): RegExp {
  const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  let source = '';
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i];
    if (c === '*' && clean[i + 1] === '*') {
      i++;
      if (clean[i + 1] === '/') {
        source += '(?:.*/)?';
        i++;
      } else source += '.*';
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
