/** Reads Bun's registry settings from `bunfig.toml` (`[install]` registry and `[install.scopes]`), global and project. */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadParsers } from '../lockfile/load-parsers';
import type { FileError } from '../types';
import { homeOf, nerfDartOf, splitUserInfo } from './registry-settings';

export interface ReadBunConfigOptions {
  readonly dir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** False in an untrusted workspace: the project's bunfig.toml is not read. */
  readonly trustProject?: boolean;
  readonly home?: string;
}

/** What bunfig.toml sets; the caller lays it over the .npmrc settings Bun also reads. */
export interface BunConfigResult {
  readonly registry?: string;
  readonly scopes: Readonly<Record<string, string>>;
  readonly credentials: Readonly<Record<string, string>>;
  readonly files: readonly string[];
  readonly skipped: readonly string[];
  readonly errors: readonly FileError[];
}

/**
 * Reads the global bunfig (`$XDG_CONFIG_HOME/.bunfig.toml`, else `~/.bunfig.toml`) and the project's
 * `bunfig.toml` (which wins). A registry is a URL (user info becomes that registry's `_auth`) or a
 * table `{ url, token }` / `{ url, username, password }`; scope keys may omit the `@`. `$VAR` and
 * `${VAR}` are expanded; an unset variable makes that registry entry an error, not an empty
 * credential. `BUN_CONFIG_REGISTRY` (then `NPM_CONFIG_REGISTRY`) overrides the default registry and
 * `BUN_CONFIG_TOKEN` is its token, as in Bun.
 */
export async function readBunConfig(options: ReadBunConfigOptions): Promise<BunConfigResult> {
  const env = options.env;
  const xdg = env.XDG_CONFIG_HOME;
  const globalFile = xdg ? join(xdg, '.bunfig.toml') : join(options.home ?? homeOf(env), '.bunfig.toml');
  const projectFile = join(options.dir, 'bunfig.toml');
  const errors: FileError[] = [];
  const files: string[] = [];
  const skipped: string[] = [];
  let registry: string | undefined;
  const scopes: Record<string, string> = {};
  const credentials: Record<string, string> = {};

  const trusted = options.trustProject !== false;
  for (const file of trusted ? [globalFile, projectFile] : [globalFile]) {
    const install = await readInstallTable(file, errors);
    if (install === undefined) continue;
    files.push(file);
    const entry = (value: unknown, what: string) => registryEntry(value, env, file, what, errors);
    const main = entry(install['registry'], 'install.registry');
    if (main !== undefined) {
      registry = main.url;
      Object.assign(credentials, main.credentials);
    }
    const scopeTable = install['scopes'];
    if (isRecord(scopeTable)) {
      for (const [name, value] of Object.entries(scopeTable)) {
        const scope = `@${name.replace(/^@/, '')}`;
        const scoped = entry(value, `install.scopes.${scope}`);
        if (scoped === undefined) continue;
        scopes[scope] = scoped.url;
        Object.assign(credentials, scoped.credentials);
      }
    }
  }
  if (!trusted && (await readOptional(projectFile, [])) !== undefined) skipped.push(projectFile);

  const envRegistry = env.BUN_CONFIG_REGISTRY || env.NPM_CONFIG_REGISTRY || env.npm_config_registry;
  if (envRegistry) {
    const split = splitUserInfo(envRegistry);
    registry = split.url;
    Object.assign(credentials, split.credentials);
  }
  const envToken = env.BUN_CONFIG_TOKEN;
  const prefix = envToken && registry !== undefined ? nerfDartOf(registry) : undefined;
  if (envToken && prefix !== undefined) credentials[`${prefix}:_authToken`] = envToken;
  return { ...(registry === undefined ? {} : { registry }), scopes, credentials, files, skipped, errors };
}

/** The `[install]` table of a bunfig, or undefined when the file is missing, unreadable or has none. */
async function readInstallTable(file: string, errors: FileError[]): Promise<Record<string, unknown> | undefined> {
  const text = await readOptional(file, errors);
  if (text === undefined) return undefined;
  const { parseToml } = await loadParsers();
  let data: unknown;
  try {
    data = parseToml(text);
  } catch (error) {
    errors.push({ file, message: `${file} is not valid TOML (${(error instanceof Error ? error.message : String(error)).split('\n')[0]}); its settings are not used.` });
    return undefined;
  }
  const install = isRecord(data) ? data['install'] : undefined;
  return isRecord(install) ? install : {};
}

/** One registry value: a URL string, or `{ url, token }` / `{ url, username, password }`. */
function registryEntry(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  file: string,
  what: string,
  errors: FileError[],
): { url: string; credentials: Record<string, string> } | undefined {
  if (value === undefined) return undefined;
  const missing: string[] = [];
  const expand = (s: unknown): string | undefined =>
    typeof s !== 'string'
      ? undefined
      : s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_match, braced: string | undefined, bare: string | undefined) => {
          const name = (braced ?? bare)!;
          // Own keys only: `${constructor}` must be an unset variable, not Object's constructor (issue 7).
          const v = Object.hasOwn(env, name) ? env[name] : undefined;
          if (v === undefined) missing.push(name);
          return v ?? '';
        });
  const raw = isRecord(value) ? expand(value['url']) : expand(value);
  if (raw === undefined || raw === '') {
    errors.push({ file, message: `${file}: ${what} has no URL; it is not used.` });
    return undefined;
  }
  const { url, credentials } = splitUserInfo(raw);
  if (isRecord(value)) {
    const prefix = nerfDartOf(url);
    const token = expand(value['token']);
    const username = expand(value['username']);
    const password = expand(value['password']);
    if (prefix !== undefined && token) credentials[`${prefix}:_authToken`] = token;
    else if (prefix !== undefined && username && password) credentials[`${prefix}:_auth`] = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  }
  if (missing.length > 0) {
    errors.push({ file, message: `${file}: ${what} uses ${missing.map((m) => `$${m}`).join(', ')}, which is not set; the entry is not used.` });
    return undefined;
  }
  return { url, credentials };
}

async function readOptional(file: string, errors: FileError[]): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') errors.push({ file, message: `${file} could not be read: ${(error as Error).message}` });
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
