/** Classifies a dependency spec from package.json (`^1.2.3`, `npm:foo@2`, `github:a/b`, `file:../x`) as npm-package-arg would. */

import semver from 'semver';
import type { SpecSource } from './types';
import { isValidPackageName } from './registry/package-name';

export interface ClassifiedSpec {
  readonly source: SpecSource;
  /** The package the registry is asked about (the alias target for `npm:` specs). */
  readonly registryName: string;
  /** The semver range, version or dist-tag for registry specs. */
  readonly range?: string;
}

const GIT_PREFIXES = ['git+', 'git://', 'github:', 'gitlab:', 'bitbucket:', 'gist:'];
// npm accepts dist-tags in specs: any string that is not a range and contains no reserved characters.
const TAG = /^[a-z][\w.-]*$/i;

export { isValidPackageName };

export function classifySpec(name: string, spec: string): ClassifiedSpec {
  const value = spec.trim();
  if (value.startsWith('npm:')) {
    const target = value.slice(4);
    const at = target.indexOf('@', 1);
    const registryName = at === -1 ? target : target.slice(0, at);
    const range = at === -1 ? '*' : target.slice(at + 1) || '*';
    if (!isValidPackageName(registryName)) return { source: 'invalid', registryName: name };
    return registryRange(registryName, range);
  }
  if (value.startsWith('workspace:')) return { source: 'workspace', registryName: name };
  if (value.startsWith('link:')) return { source: 'link', registryName: name };
  if (value.startsWith('file:') || /^(?:\.{1,2}|~)?\//.test(value) || /^[a-z]:[\\/]/i.test(value)) {
    return { source: 'file', registryName: name };
  }
  if (GIT_PREFIXES.some((p) => value.startsWith(p)) || /^git@/.test(value)) return { source: 'git', registryName: name };
  if (/^https?:\/\//i.test(value)) {
    return { source: /\.git(?:#.*)?$/.test(value) ? 'git' : 'url', registryName: name };
  }
  // `user/repo` and `user/repo#ref` are GitHub shorthands.
  if (/^[^@/\s:]+\/[^/\s]+$/.test(value)) return { source: 'git', registryName: name };
  return registryRange(name, value === '' ? '*' : value);
}

function registryRange(registryName: string, range: string): ClassifiedSpec {
  if (semver.validRange(range, { loose: true }) === null && !TAG.test(range)) {
    return { source: 'invalid', registryName };
  }
  return { source: 'registry', registryName, range };
}

/** A human phrase for a non-registry source, used in "not from the registry; not checked" messages. */
export function describeSource(source: SpecSource): string {
  switch (source) {
    case 'git':
      return 'a git repository';
    case 'file':
      return 'a local folder or file';
    case 'link':
      return 'a linked folder';
    case 'url':
      return 'a tarball URL';
    case 'workspace':
      return 'a workspace package';
    case 'invalid':
      return 'an invalid spec';
    case 'registry':
      return 'the registry';
  }
}
