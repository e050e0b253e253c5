/** Which files of a repository decide its dependencies, which of them changed, and which project folder each belongs to. */

import { LOCKFILE_NAMES } from '../lockfile';

/** What a dependency file is for. */
export type FileRole =
  | 'manifest'
  | 'lockfile'
  | 'npm-config'
  | 'yarn-config'
  | 'bun-config'
  | 'pnpm-workspace'
  | 'pnpm-hook'
  | 'yarn-release'
  | 'yarn-plugin'
  | 'patch'
  | 'acceptances'
  | 'bot-config';

/** The file the review's acceptances live in, at a project's root. */
export const ACCEPTANCES_FILE = '.dependency-risk.json';

const BY_NAME: Readonly<Record<string, FileRole>> = {
  'package.json': 'manifest',
  '.npmrc': 'npm-config',
  '.yarnrc.yml': 'yarn-config',
  '.yarnrc': 'yarn-config',
  'bunfig.toml': 'bun-config',
  'pnpm-workspace.yaml': 'pnpm-workspace',
  '.pnpmfile.cjs': 'pnpm-hook',
  '.pnpmfile.mjs': 'pnpm-hook',
  [ACCEPTANCES_FILE]: 'acceptances',
  'renovate.json': 'bot-config',
  'renovate.json5': 'bot-config',
  '.renovaterc': 'bot-config',
  '.renovaterc.json': 'bot-config',
};

/** Folders holding files that belong to the project above them: `<project>/.yarn/releases/x.cjs`. */
const NESTED: readonly { readonly marker: string; readonly role: FileRole }[] = [
  { marker: '.yarn/releases/', role: 'yarn-release' },
  { marker: '.yarn/plugins/', role: 'yarn-plugin' },
  { marker: '.yarn/patches/', role: 'patch' },
  { marker: 'patches/', role: 'patch' },
  { marker: '.github/renovate.json', role: 'bot-config' },
  { marker: '.github/renovate.json5', role: 'bot-config' },
  { marker: '.gitlab/renovate.json', role: 'bot-config' },
  { marker: '.github/dependabot.yml', role: 'bot-config' },
  { marker: '.github/dependabot.yaml', role: 'bot-config' },
];

/** The role of a repository path (`/`-separated, relative to the root), or undefined when it is not a dependency file. */
export function roleOf(path: string): FileRole | undefined {
  const parts = path.split('/');
  // Committed node_modules are installed output, not what decides the install.
  if (parts.includes('node_modules')) return undefined;
  const name = parts[parts.length - 1] ?? '';
  if (LOCKFILE_NAMES.includes(name)) return 'lockfile';
  const direct = Object.hasOwn(BY_NAME, name) ? BY_NAME[name] : undefined;
  if (direct !== undefined) return direct;
  const nested = NESTED.find((n) => `/${path}`.includes(`/${n.marker}`));
  if (nested === undefined) return undefined;
  if (nested.role === 'patch' && !/\.(patch|diff)$/.test(name)) return undefined;
  return nested.role;
}

export function isDependencyFile(path: string): boolean {
  return roleOf(path) !== undefined;
}

/** The project folder a dependency file belongs to ('' for the repository root). */
export function projectDirOf(path: string): string {
  const nested = NESTED.find((n) => `/${path}`.includes(`/${n.marker}`));
  if (nested !== undefined) {
    const at = `/${path}`.lastIndexOf(`/${nested.marker}`);
    return at <= 0 ? '' : path.slice(0, at).replace(/\/$/, '');
  }
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Dependency files whose content differs between two listings (added, removed or changed), sorted. */
export function changedFiles(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>): string[] {
  const paths = new Set([...base.keys(), ...head.keys()]);
  return [...paths].filter((path) => base.get(path) !== head.get(path)).sort();
}

/** Is `path` (relative to the repository root) inside the folder `scope` ('' for all)? */
export function isWithin(path: string, scope: string): boolean {
  return scope === '' || path === scope || path.startsWith(`${scope}/`);
}
