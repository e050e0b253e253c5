/** Reads npm's configuration as npm does: the .npmrc chain and `npm_config_*` variables, with `${VAR}` expansion. */

// Not @npmcli/config (npm's own reader, ~360 KB bundled, ~40 ms to load): it cannot leave the
// project's .npmrc out (Workspace Trust), wants npm's install folder for its builtin and global files,
// and logs through process events. test/unit/registry/npm-parity.test.ts runs it beside this reader
// on the same files and compares the registry settings each produces.

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileError } from '../types';
import { homeOf, type RegistrySettings } from './registry-settings';

export type NpmConfigValue = string | readonly string[];

/** The merged configuration, with where each key came from. Keys are lower-case as npm normalises them. */
export interface NpmConfig {
  readonly values: ReadonlyMap<string, NpmConfigValue>;
  /** Key -> the file or `environment` that set it. */
  readonly origins: ReadonlyMap<string, string>;
  readonly errors: readonly FileError[];
}

/** A configuration as read from the files: which files were read, and which project file was skipped as untrusted. */
export interface NpmConfigRead extends NpmConfig {
  readonly files: readonly string[];
  readonly skipped: readonly string[];
}

export interface NpmrcEntry {
  readonly key: string;
  readonly value: NpmConfigValue;
}

/**
 * Parses one .npmrc: `key=value`, `key[]=value` (arrays), `;`/`#` comments, quoted values, and
 * `${VAR}` / `${VAR?}` from `env`. An unset variable without `?` is an error for that line, and the
 * line is skipped: npm would keep the literal `${VAR}` text, which then fails as a token or a URL.
 */
export function parseNpmrc(file: string, text: string, env: Readonly<Record<string, string | undefined>>): { entries: NpmrcEntry[]; errors: FileError[] } {
  const values = new Map<string, NpmConfigValue>();
  const errors: FileError[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#') || line.startsWith('[')) return;
    const eq = line.indexOf('=');
    let key = (eq === -1 ? line : line.slice(0, eq)).trim();
    let value = eq === -1 ? 'true' : unquote(line.slice(eq + 1).trim());
    const missing: string[] = [];
    // npm's env-replace: a run of backslashes before `${` is halved; an odd run escapes the reference.
    const expand = (s: string) =>
      s.replace(/(?<!\\)(\\*)\$\{([^${}?]+)(\?)?\}/g, (match, slashes: string, name: string, optional?: string) => {
        if (slashes.length % 2 === 1) return match.slice((slashes.length + 1) / 2);
        // Own keys only: `${constructor}` must be an unset variable, not Object's constructor (issue 7).
        const v = Object.hasOwn(env, name) ? env[name] : undefined;
        if (v === undefined && !optional) missing.push(name);
        return slashes.slice(slashes.length / 2) + (v ?? '');
      });
    key = expand(key);
    value = expand(value);
    if (missing.length > 0) {
      errors.push({ file, message: `${file} line ${i + 1}: environment variable ${missing.map((m) => `\${${m}}`).join(', ')} is not set; the line is ignored.` });
      return;
    }
    if (key.endsWith('[]')) {
      const base = normaliseKey(key.slice(0, -2));
      const prior = values.get(base);
      values.set(base, [...(Array.isArray(prior) ? prior : prior === undefined ? [] : [prior as string]), value]);
    } else {
      values.set(normaliseKey(key), value);
    }
  });
  return { entries: [...values].map(([key, value]) => ({ key, value })), errors };
}

function unquote(value: string): string {
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // Not a JSON string: npm's ini keeps such a value as written, and so do we.
    }
  }
  if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) return value.slice(1, -1);
  return value.replace(/\s[;#].*$/, '');
}

/** npm treats `_` and `-` alike in option names and ignores case; nerf-dart (`//host/:_authToken`) and scope keys keep theirs. */
function normaliseKey(key: string): string {
  if (key.startsWith('//') || key.startsWith('@')) return key;
  return key.toLowerCase().replace(/_/g, '-');
}

/** `npm_config_*` names as npm's loadEnv reads them: a leading `_` stays (`npm_config__auth` is `_auth`), the others become `-`. */
function normaliseEnvKey(key: string): string {
  if (key.startsWith('//') || key.startsWith('@')) return key;
  return key.replace(/(?!^)_/g, '-').toLowerCase();
}

export interface ReadNpmConfigOptions {
  /** The project folder whose .npmrc is read (unless `trustProject` is false). */
  readonly dir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** False in an untrusted workspace: the project's own .npmrc could redirect requests and read credentials. */
  readonly trustProject?: boolean;
  readonly home?: string;
  /** More user-level files, read after the user's .npmrc and before the project's (pnpm's global `rc`). */
  readonly extraUserFiles?: readonly string[];
}

/** Credentials that name no registry: npm 9 and later refuse them (`npm config fix` rewrites them). */
const LEGACY_CREDENTIALS = ['-authtoken', '-auth', '-password', 'username'];
const LEGACY_SPELLING: Readonly<Record<string, string>> = { '-authtoken': '_authToken', '-auth': '_auth', '-password': '_password', username: 'username' };

/**
 * Reads, in npm's order of precedence (later wins): the global npmrc (`npm_config_globalconfig`),
 * the user's (`npm_config_userconfig` or ~/.npmrc), the project's .npmrc, then `npm_config_*`
 * variables (empty ones ignored, as npm does). Missing files are not errors. Credentials that name no
 * registry (`_authToken=…` rather than `//host/:_authToken=…`) are reported and dropped, as npm 9+
 * refuses them. In `files`, every file that was read; in `skipped`, a project .npmrc that exists
 * but was not read because the project is not trusted.
 */
export async function readNpmConfig(options: ReadNpmConfigOptions): Promise<NpmConfigRead> {
  const env = options.env;
  const values = new Map<string, NpmConfigValue>();
  const origins = new Map<string, string>();
  const errors: FileError[] = [];
  const userFiles: string[] = [];
  const globalConfig = env.npm_config_globalconfig ?? env.NPM_CONFIG_GLOBALCONFIG;
  if (globalConfig) userFiles.push(globalConfig);
  userFiles.push(env.npm_config_userconfig ?? env.NPM_CONFIG_USERCONFIG ?? join(options.home ?? homeOf(env), '.npmrc'));
  userFiles.push(...(options.extraUserFiles ?? []));
  const projectFile = join(options.dir, '.npmrc');
  const files = options.trustProject === false ? userFiles : [...userFiles, projectFile];
  const read: string[] = [];
  const skipped: string[] = [];
  if (options.trustProject === false && !userFiles.includes(projectFile) && (await exists(projectFile))) skipped.push(projectFile);
  for (const file of [...new Set(files)]) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') errors.push({ file, message: `${file} could not be read: ${(error as Error).message}` });
      continue;
    }
    read.push(file);
    const parsed = parseNpmrc(file, text, env);
    errors.push(...parsed.errors);
    for (const { key, value } of parsed.entries) {
      if (LEGACY_CREDENTIALS.includes(key)) {
        errors.push({
          file,
          message: `${file}: \`${LEGACY_SPELLING[key]}\` names no registry, so it is not used (npm 9 and later refuse it); write it as //<registry host>/:${LEGACY_SPELLING[key]}=… or run \`npm config fix\`.`,
        });
        continue;
      }
      values.set(key, value);
      origins.set(key, file);
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '' || !/^npm_config_/i.test(name)) continue;
    const key = normaliseEnvKey(name.slice('npm_config_'.length));
    if (key === 'globalconfig' || key === 'userconfig') continue;
    values.set(key, value);
    origins.set(key, 'environment');
  }
  return { values, origins, errors, files: read, skipped };
}

/** A single string value, or undefined. */
export function configString(config: NpmConfig, key: string): string | undefined {
  const v = config.values.get(key);
  return typeof v === 'string' ? v : Array.isArray(v) ? v[v.length - 1] : undefined;
}

/** A list value: `key[]=` lines, or a comma/space-separated string. */
export function configList(config: NpmConfig, key: string): string[] {
  const v = config.values.get(key);
  if (v === undefined) return [];
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean);
  return [...v];
}

/** The nerf-dart settings npm-registry-fetch reads per registry: credentials and client certificates. */
const NERF_DART_KEYS = new Set(['_authToken', '_auth', 'username', '_password', 'certfile', 'keyfile']);

/**
 * The registry settings in npm's configuration, as npm hands them to npm-registry-fetch: `registry`,
 * `@scope:registry`, nerf-dart credentials (`//host/path/:_authToken`, `:_auth`, `:username` +
 * `:_password`, `:certfile` + `:keyfile`), `strict-ssl`, `ca` (`cafile` is named, and read by the
 * caller), `proxy`, `https-proxy` and `noproxy`. `always-auth` is not read: npm 7 and later send a
 * registry's credentials whenever they are configured for it, and npm 9 dropped the option.
 */
export function npmRegistrySettings(config: NpmConfig): RegistrySettings {
  const scopes: Record<string, string> = {};
  const credentials: Record<string, string> = {};
  for (const [key, value] of config.values) {
    if (typeof value !== 'string') continue;
    const scope = /^(@[^:]+):registry$/.exec(key);
    if (scope) scopes[scope[1]!] = value;
    else if (key.startsWith('//') && NERF_DART_KEYS.has(key.slice(key.lastIndexOf(':') + 1))) credentials[key] = value;
  }
  const strictSsl = configString(config, 'strict-ssl');
  const ca = config.values.get('ca');
  const noProxy = configList(config, 'noproxy').join(',');
  return {
    ...optional('registry', configString(config, 'registry')),
    scopes,
    credentials,
    ...(strictSsl === undefined ? {} : { strictSSL: strictSsl !== 'false' }),
    ...(ca === undefined ? {} : { ca: typeof ca === 'string' ? [ca] : [...ca] }),
    ...optional('cafile', configString(config, 'cafile')),
    ...optional('proxy', configString(config, 'proxy')),
    ...optional('httpsProxy', configString(config, 'https-proxy')),
    ...(noProxy === '' ? {} : { noProxy }),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: string };
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    void error; // missing or unreadable: either way nothing is skipped that could have been read
    return false;
  }
}
