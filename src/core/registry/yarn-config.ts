/** Reads Yarn Berry's registry settings as Yarn does: `.yarnrc.yml` files from the project up to the root, the home one, and `YARN_*` variables. */

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadParsers } from '../lockfile/load-parsers';
import type { FileError } from '../types';
import { homeOf, nerfDartOf, splitUserInfo, type RegistrySettings } from './registry-settings';

/** Yarn Berry's default registry (a mirror of the npm registry). */
export const YARN_DEFAULT_REGISTRY = 'https://registry.yarnpkg.com/';

export interface ReadYarnConfigOptions {
  /** The project folder: `.yarnrc.yml` is looked up here and in every parent folder. */
  readonly dir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** False in an untrusted workspace: only the home `.yarnrc.yml` and `YARN_*` variables are read. */
  readonly trustProject?: boolean;
  readonly home?: string;
}

export interface YarnConfigResult {
  readonly settings: RegistrySettings;
  /** The rc files read, nearest first. */
  readonly files: readonly string[];
  /** rc files that exist but were not read because the project is not trusted. */
  readonly skipped: readonly string[];
  readonly errors: readonly FileError[];
}

/** One rc file's settings that matter here, `${VAR}` already expanded. */
interface YarnSource {
  readonly origin: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** The YARN_* variables for the scalar settings read here (`npmRegistryServer` -> `YARN_NPM_REGISTRY_SERVER`). */
const SCALARS = ['npmRegistryServer', 'npmAuthToken', 'npmAuthIdent', 'npmAlwaysAuth', 'httpProxy', 'httpsProxy', 'enableStrictSsl', 'caFilePath'] as const;

/**
 * Reads Yarn's configuration for registry requests. Precedence, highest first: `YARN_*` variables,
 * the nearest `.yarnrc.yml`, farther ones up to the root, then `~/.yarnrc.yml`; maps (`npmScopes`,
 * `npmRegistries`) are merged per key. Credentials become nerf-dart keys for exactly the registry
 * Yarn would send them to: a scope's own `npmAuthToken`/`npmAuthIdent` for that scope's registry; else
 * `npmRegistries` for that registry URL; else the top-level ones. Yarn always sends credentials for
 * scoped packages, but for unscoped ones only with `npmAlwaysAuth: true`, so the default registry
 * gets credentials only then. `${VAR}`, `${VAR:-default}` and `${VAR-default}` are expanded; a
 * missing variable without a default is an error for that file, which is then not used (Yarn
 * refuses to start).
 */
export async function readYarnConfig(options: ReadYarnConfigOptions): Promise<YarnConfigResult> {
  const home = options.home ?? homeOf(options.env);
  const homeFile = join(home, '.yarnrc.yml');
  const projectFiles: string[] = [];
  for (let current = options.dir, previous = ''; current !== previous; previous = current, current = dirname(current)) {
    const file = join(current, '.yarnrc.yml');
    if (file !== homeFile) projectFiles.push(file);
  }
  const errors: FileError[] = [];
  const files: string[] = [];
  const skipped: string[] = [];
  const sources: YarnSource[] = [];
  const { parseSyml } = await loadParsers();
  const candidates = options.trustProject === false ? [homeFile] : [...projectFiles, homeFile];
  for (const file of candidates) {
    const text = await readOptional(file, errors);
    if (text === undefined) continue;
    let data: unknown;
    try {
      data = parseSyml(text);
    } catch (error) {
      errors.push({ file, message: `${file} is not valid YAML (${firstLine(error)}); its settings are not used.` });
      continue;
    }
    files.push(file);
    const expanded = expandAll(data, options.env);
    if (expanded.missing.length > 0) {
      errors.push({
        file,
        message: `${file}: environment variable ${expanded.missing.map((m) => `\${${m}}`).join(', ')} is not set and has no default; the file's settings are not used (Yarn would refuse to start).`,
      });
      continue;
    }
    if (isRecord(expanded.value)) sources.push({ origin: file, values: expanded.value });
  }
  if (options.trustProject === false) {
    for (const file of projectFiles) if ((await readOptional(file, [])) !== undefined) skipped.push(file);
  }
  const environment: Record<string, unknown> = {};
  for (const key of SCALARS) {
    const value = options.env[`YARN_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`];
    if (value !== undefined && value !== '') environment[key] = value;
  }
  return { settings: settingsOf([{ origin: 'environment', values: environment }, ...sources]), files, skipped, errors };
}

/** Merges the sources (highest precedence first) and turns them into registry settings. */
function settingsOf(sources: readonly YarnSource[]): RegistrySettings {
  const scalar = (key: string): unknown => sources.find((s) => s.values[key] !== undefined && s.values[key] !== null)?.values[key];
  const map = (key: string): Map<string, Record<string, unknown>> => {
    const merged = new Map<string, Record<string, unknown>>();
    for (const source of [...sources].reverse()) {
      const value = source.values[key];
      if (!isRecord(value)) continue;
      for (const [name, entry] of Object.entries(value)) if (isRecord(entry)) merged.set(name, { ...merged.get(name), ...entry });
    }
    return merged;
  };
  const top: Record<string, unknown> = Object.fromEntries(['npmAuthToken', 'npmAuthIdent', 'npmAlwaysAuth'].map((k) => [k, scalar(k)]));
  const registries = new Map([...map('npmRegistries')].map(([url, entry]) => [normaliseRegistry(url), entry]));
  const credentials: Record<string, string> = {};
  const grant = (registryUrl: string, entry: Record<string, unknown>) => {
    const prefix = nerfDartOf(registryUrl);
    if (prefix === undefined) return;
    const token = text(entry['npmAuthToken']);
    const ident = text(entry['npmAuthIdent']);
    if (token !== undefined) credentials[`${prefix}:_authToken`] = token;
    else if (ident !== undefined) credentials[`${prefix}:_auth`] = ident.includes(':') ? Buffer.from(ident, 'utf8').toString('base64') : ident;
  };
  /** Yarn's getAuthConfiguration: the scope's own credentials, else the registry's entry, else the top level. */
  const authFor = (registryUrl: string, scope?: Record<string, unknown>): Record<string, unknown> => {
    if (scope !== undefined && (text(scope['npmAuthToken']) !== undefined || text(scope['npmAuthIdent']) !== undefined)) return scope;
    const normalised = normaliseRegistry(registryUrl);
    return registries.get(normalised) ?? registries.get(normalised.replace(/^[a-z]+:/, '')) ?? top;
  };

  const fromUrl = (value: unknown): { url?: string; credentials: Record<string, string> } => {
    const url = text(value);
    return url === undefined ? { credentials: {} } : splitUserInfo(url);
  };
  const server = fromUrl(scalar('npmRegistryServer'));
  Object.assign(credentials, server.credentials);
  const defaultRegistry = server.url ?? YARN_DEFAULT_REGISTRY;
  const defaultAuth = authFor(defaultRegistry);
  if (defaultAuth['npmAlwaysAuth'] === true || defaultAuth['npmAlwaysAuth'] === 'true') grant(defaultRegistry, defaultAuth);

  const scopes: Record<string, string> = {};
  for (const [name, entry] of map('npmScopes')) {
    const scopeServer = fromUrl(entry['npmRegistryServer']);
    const registry = scopeServer.url ?? defaultRegistry;
    Object.assign(credentials, scopeServer.credentials);
    scopes[`@${name.replace(/^@/, '')}`] = registry;
    grant(registry, authFor(registry, entry));
  }

  const strictSsl = scalar('enableStrictSsl');
  return {
    ...(server.url === undefined ? { registry: YARN_DEFAULT_REGISTRY } : { registry: server.url }),
    scopes,
    credentials,
    ...(strictSsl === undefined ? {} : { strictSSL: strictSsl !== false && strictSsl !== 'false' }),
    ...optionalText('cafile', scalar('caFilePath')),
    ...optionalText('proxy', scalar('httpProxy')),
    ...optionalText('httpsProxy', scalar('httpsProxy')),
  };
}

/** Replaces `${VAR}` (and `${VAR:-x}`, `${VAR-x}`) in every string of a parsed rc file, as Yarn's replaceEnvVariables does. */
function expandAll(value: unknown, env: Readonly<Record<string, string | undefined>>): { value: unknown; missing: string[] } {
  const missing: string[] = [];
  const expand = (s: string): string =>
    s.replace(/\$\{([\w]+)(:)?(?:-([^}]*))?\}/g, (match, name: string, colon: string | undefined, fallback: string | undefined) => {
      const present = Object.prototype.hasOwnProperty.call(env, name) && env[name] !== undefined;
      const v = env[name];
      if (v) return v;
      if (present && !colon) return v ?? '';
      if (fallback !== undefined) return fallback;
      missing.push(name);
      return match;
    });
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return expand(v);
    if (Array.isArray(v)) return v.map(walk);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(value), missing };
}

/** Yarn compares registries without a trailing slash. */
function normaliseRegistry(url: string): string {
  return url.replace(/\/$/, '');
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

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optionalText<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  const t = text(value);
  return (t === undefined ? {} : { [key]: t }) as { [P in K]?: string };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
