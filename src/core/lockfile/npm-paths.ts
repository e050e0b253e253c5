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

/** Longer workspace patterns or folder paths are not matched: no real project has them. */
const MAX_PATTERN = 256;
const MAX_PATH = 4096;

/**
 * A test for folder paths against the root's `workspaces` patterns, supporting what npm projects use:
 * literal paths, `*` and `?` within a segment, `**` for any number of segments. Matching runs in
 * time polynomial in the lengths (no regular expression that a crafted pattern could make backtrack).
 */
export function createWorkspaceMatcher(patterns: readonly string[]): (path: string) => boolean {
  const compiled = patterns
    .filter((pattern) => pattern.length <= MAX_PATTERN)
    .map((pattern) => pattern.replace(/^\.\//, '').replace(/\/+$/, '').split('/'));
  return (path) => path.length <= MAX_PATH && compiled.some((segments) => matchSegments(segments, path.split('/')));
}

/** Does the pattern's segment list match the path's? `**` matches zero or more whole segments. */
function matchSegments(pattern: readonly string[], path: readonly string[]): boolean {
  // matched[j]: the pattern segments seen so far match path[0..j).
  let matched = path.map(() => false).concat(false);
  matched[0] = true;
  for (const segment of pattern) {
    const next = matched.map(() => false);
    if (segment === '**') {
      let reached = false;
      for (let j = 0; j <= path.length; j++) next[j] = reached ||= matched[j];
    } else {
      for (let j = 0; j < path.length; j++) if (matched[j] && matchSegment(segment, path[j])) next[j + 1] = true;
    }
    matched = next;
  }
  return matched[path.length];
}

/** Wildcard match of one segment (`*`, `?`), backtracking only to the last `*`. */
function matchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
