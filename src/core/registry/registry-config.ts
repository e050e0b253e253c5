/** Resolves where a project's packages come from, and with which credentials, TLS and proxy, from its package manager's configuration. */

import type { FileError } from '../types';
import { readBunConfig } from './bun-config';
import { join } from 'node:path';
import { npmRegistrySettings, readNpmConfig, type NpmConfigRead } from './npm-config';
import { homeOf, npmOptionsOf, readCaFile, withNetworkDefaults, type NetworkDefaults, type RegistrySettings } from './registry-settings';
import { readYarnConfig } from './yarn-config';

export const NPM_DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

/** Whose configuration applies. `yarn` is Yarn Berry (2+); Yarn 1 reads npm's files. */
export type RegistryManager = 'npm' | 'pnpm' | 'yarn' | 'yarn-classic' | 'bun';

export interface ResolveRegistryConfigOptions {
  /** The project root (where the lockfile is): its .npmrc, .yarnrc.yml or bunfig.toml is read. */
  readonly dir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** False in an untrusted workspace: the project's own files are not read, only the user's. */
  readonly trustProject?: boolean;
  readonly manager: RegistryManager;
  /** The editor's proxy settings, used where the files set none. */
  readonly network?: NetworkDefaults;
  readonly home?: string;
  /** An npm configuration already read for this project and trust (saves reading the files twice; its errors are the caller's to report). */
  readonly npmConfig?: NpmConfigRead;
}

export interface RegistryConfig {
  readonly manager: RegistryManager;
  /** The default registry, with a trailing slash as given. */
  readonly registry: string;
  readonly scopes: Readonly<Record<string, string>>;
  /** npm-registry-fetch options: nerf-dart credentials, `strictSSL`, `ca`, `proxy`, `httpsProxy`, `noProxy`. */
  readonly npmOptions: Readonly<Record<string, string | boolean | readonly string[]>>;
  /** The configuration files read. */
  readonly files: readonly string[];
  /** Project configuration files that exist but were not read because the project is not trusted. */
  readonly skipped: readonly string[];
  readonly errors: readonly FileError[];
}

/**
 * Whose registry configuration applies: the lockfile's format or manager when there is one
 * (yarn.lock v1 is Yarn 1), else package.json's `packageManager` (`yarn@1.x` is Yarn 1), else npm.
 */
export function registryManagerFor(project: { readonly lockfileFormat?: string; readonly lockfileManager?: string; readonly packageManager?: string }): RegistryManager {
  if (project.lockfileFormat === 'yarn-classic') return 'yarn-classic';
  if (project.lockfileFormat === 'yarn-berry') return 'yarn';
  const declared = /^(npm|pnpm|yarn|bun)(?:@(\d+))?/.exec(project.packageManager?.trim() ?? '');
  const manager = project.lockfileManager ?? declared?.[1];
  if (manager === 'yarn') return declared?.[1] === 'yarn' && declared[2] === '1' ? 'yarn-classic' : 'yarn';
  return manager === 'pnpm' || manager === 'bun' || manager === 'npm' ? manager : 'npm';
}

/** npm's configuration as `manager` reads it: pnpm adds its global `rc` file to the .npmrc chain. */
export function readNpmConfigFor(options: Pick<ResolveRegistryConfigOptions, 'dir' | 'env' | 'trustProject' | 'manager' | 'home'>): Promise<NpmConfigRead> {
  return readNpmConfig({ ...options, extraUserFiles: options.manager === 'pnpm' ? [pnpmGlobalRc(options.env, options.home)] : [] });
}

/**
 * Reads the configuration `manager` reads for the project in `dir`:
 * - npm, pnpm and Yarn 1: the .npmrc chain and `npm_config_*` (pnpm also its global `rc` file);
 * - Yarn Berry: `.yarnrc.yml` from the project up, `~/.yarnrc.yml`, `YARN_*` (no .npmrc, as Yarn);
 * - Bun: the .npmrc chain, overridden by `bunfig.toml` (global, then the project's).
 * `cafile` is read into `ca`; the editor's proxy settings fill in what the files leave unset.
 * Never throws: unreadable or invalid files are errors in the result and the rest is used.
 */
export async function resolveRegistryConfig(options: ResolveRegistryConfigOptions): Promise<RegistryConfig> {
  const errors: FileError[] = [];
  const files: string[] = [];
  const skipped: string[] = [];
  let settings: RegistrySettings;
  let origin: string;
  if (options.manager === 'yarn') {
    const yarn = await readYarnConfig(options);
    errors.push(...yarn.errors);
    files.push(...yarn.files);
    skipped.push(...yarn.skipped);
    settings = yarn.settings;
    origin = yarn.files[0] ?? '.yarnrc.yml';
  } else {
    const npm = options.npmConfig ?? (await readNpmConfigFor(options));
    if (options.npmConfig === undefined) errors.push(...npm.errors);
    files.push(...npm.files);
    skipped.push(...npm.skipped);
    settings = npmRegistrySettings(npm);
    origin = npm.origins.get('cafile') ?? '.npmrc';
    if (options.manager === 'bun') {
      const bun = await readBunConfig(options);
      errors.push(...bun.errors);
      files.push(...bun.files);
      skipped.push(...bun.skipped);
      settings = {
        ...settings,
        ...(bun.registry === undefined ? {} : { registry: bun.registry }),
        scopes: { ...settings.scopes, ...bun.scopes },
        credentials: { ...settings.credentials, ...bun.credentials },
      };
    }
  }
  const withCa = await readCaFile(settings, origin);
  errors.push(...withCa.errors);
  const final = withNetworkDefaults(withCa.settings, options.network);
  return {
    manager: options.manager,
    registry: final.registry ?? NPM_DEFAULT_REGISTRY,
    scopes: final.scopes,
    npmOptions: npmOptionsOf(final),
    files,
    skipped,
    errors,
  };
}

/** pnpm's global config file: `$XDG_CONFIG_HOME/pnpm/rc`, else per platform (https://pnpm.io/cli/config). */
function pnpmGlobalRc(env: Readonly<Record<string, string | undefined>>, home: string | undefined): string {
  const base = home ?? homeOf(env);
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'pnpm', 'rc');
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(base, 'AppData', 'Local'), 'pnpm', 'config', 'rc');
  if (process.platform === 'darwin') return join(base, 'Library', 'Preferences', 'pnpm', 'rc');
  return join(base, '.config', 'pnpm', 'rc');
}
