/** Reads npm's configuration as npm does: the .npmrc chain and `npm_config_*` variables, with `${VAR}` expansion. */

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FileError } from '../types';

export type NpmConfigValue = string | readonly string[];

/** The merged configuration, with where each key came from. Keys are lower-case as npm normalises them. */
export interface NpmConfig {
  readonly values: ReadonlyMap<string, NpmConfigValue>;
  /** Key -> the file or `environment` that set it. */
  readonly origins: ReadonlyMap<string, string>;
  readonly errors: readonly FileError[];
}

export interface NpmrcEntry {
  readonly key: string;
  readonly value: NpmConfigValue;
}

/**
 * Parses one .npmrc: `key=value`, `key[]=value` (arrays), `;`/`#` comments, quoted values, and
 * `${VAR}` from `env`. An unset variable is an error for that line (npm refuses such a config),
 * and the line is skipped.
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
    const expand = (s: string) =>
      s.replace(/(\\*)\$\{([^${}?]+)(\?)?\}/g, (match, slashes: string, name: string, optional?: string) => {
        if (slashes.length % 2 === 1) return match.slice(1);
        const v = env[name];
        if (v === undefined && !optional) missing.push(name);
        return slashes + (v ?? '');
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

export interface ReadNpmConfigOptions {
  /** The project folder whose .npmrc is read (unless `trustProject` is false). */
  readonly dir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** False in an untrusted workspace: the project's own .npmrc could redirect requests and read credentials. */
  readonly trustProject?: boolean;
  readonly home?: string;
}

/**
 * Reads, in npm's order of precedence (later wins): the global npmrc (`npm_config_globalconfig`),
 * the user's (`npm_config_userconfig` or ~/.npmrc), the project's .npmrc, then `npm_config_*`
 * variables. Missing files are not errors.
 */
export async function readNpmConfig(options: ReadNpmConfigOptions): Promise<NpmConfig> {
  const env = options.env;
  const values = new Map<string, NpmConfigValue>();
  const origins = new Map<string, string>();
  const errors: FileError[] = [];
  const files: string[] = [];
  const globalConfig = env.npm_config_globalconfig ?? env.NPM_CONFIG_GLOBALCONFIG;
  if (globalConfig) files.push(globalConfig);
  files.push(env.npm_config_userconfig ?? env.NPM_CONFIG_USERCONFIG ?? join(options.home ?? homedir(), '.npmrc'));
  if (options.trustProject !== false) files.push(join(options.dir, '.npmrc'));
  for (const file of [...new Set(files)]) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') errors.push({ file, message: `${file} could not be read: ${(error as Error).message}` });
      continue;
    }
    const parsed = parseNpmrc(file, text, env);
    errors.push(...parsed.errors);
    for (const { key, value } of parsed.entries) {
      values.set(key, value);
      origins.set(key, file);
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !/^npm_config_/i.test(name)) continue;
    const key = normaliseKey(name.slice('npm_config_'.length));
    if (key === 'globalconfig' || key === 'userconfig') continue;
    values.set(key, value);
    origins.set(key, 'environment');
  }
  return { values, origins, errors };
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

/**
 * The registry settings pacote's fetch layer (npm-registry-fetch) takes: `registry`,
 * `@scope:registry`, nerf-dart credentials (`//host/path/:_authToken`, which it sends only to that
 * host and path), and TLS/proxy options translated to its option names (`strict-ssl` -> `strictSSL`,
 * `https-proxy` -> `httpsProxy`, `noproxy` -> `noProxy`, `ca`). `cafile` needs a file read and is
 * left to the proxy and CA work of issue #5.
 */
export function registryOptionsOf(config: NpmConfig): { registry?: string; scopes: Record<string, string>; npmOptions: Record<string, string | boolean | string[]> } {
  const scopes: Record<string, string> = {};
  const npmOptions: Record<string, string | boolean | string[]> = {};
  for (const [key, value] of config.values) {
    const scope = /^(@[^:]+):registry$/.exec(key);
    if (scope && typeof value === 'string') scopes[scope[1]] = value;
    else if (key.startsWith('//') && typeof value === 'string') npmOptions[key] = value;
  }
  const strictSsl = configString(config, 'strict-ssl');
  if (strictSsl !== undefined) npmOptions.strictSSL = strictSsl !== 'false';
  const ca = config.values.get('ca');
  if (ca !== undefined) npmOptions.ca = typeof ca === 'string' ? ca : [...ca];
  for (const [key, option] of [['proxy', 'proxy'], ['https-proxy', 'httpsProxy'], ['noproxy', 'noProxy']] as const) {
    const value = configList(config, key).join(',');
    if (value) npmOptions[option] = value;
  }
  return { registry: configString(config, 'registry'), scopes, npmOptions };
}
