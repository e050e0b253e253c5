/** The registry settings every package manager's configuration comes down to, and how they become npm-registry-fetch options. */

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import type { FileError } from '../types';

/**
 * Where packages are fetched from and how, whichever package manager's files said so. Credentials
 * are nerf-dart keys (`//host/path/:_authToken`, `:_auth`, `:username` + `:_password`, `:certfile` +
 * `:keyfile`), the form npm-registry-fetch matches against each request URL, longest path first.
 */
export interface RegistrySettings {
  readonly registry?: string;
  /** `@scope` -> registry URL. */
  readonly scopes: Readonly<Record<string, string>>;
  readonly credentials: Readonly<Record<string, string>>;
  readonly strictSSL?: boolean;
  /** PEM certificates trusted for the registry's TLS, in addition to Node's. */
  readonly ca?: readonly string[];
  /** A file of PEM certificates, read into `ca` by `readCaFile`. */
  readonly cafile?: string;
  readonly proxy?: string;
  readonly httpsProxy?: string;
  /** Comma-separated host suffixes that bypass the proxy. */
  readonly noProxy?: string;
}

/** The editor's network settings (VS Code `http.proxy`, `http.noProxy`, `http.proxyStrictSSL`), used where the files say nothing. */
export interface NetworkDefaults {
  readonly proxy?: string;
  readonly noProxy?: readonly string[];
  /** False: accept any certificate on connections that go through that proxy. */
  readonly proxyStrictSSL?: boolean;
}

export type NpmOptions = Record<string, string | boolean | readonly string[]>;

/** The options npm-registry-fetch takes for these settings (scopes travel separately, in RegistryOptions.scopes). */
export function npmOptionsOf(settings: RegistrySettings): Record<string, string | boolean | string[]> {
  const options: Record<string, string | boolean | string[]> = { ...settings.credentials };
  if (settings.strictSSL !== undefined) options.strictSSL = settings.strictSSL;
  if (settings.ca !== undefined && settings.ca.length > 0) options.ca = [...settings.ca];
  if (settings.proxy !== undefined) options.proxy = settings.proxy;
  if (settings.httpsProxy !== undefined) options.httpsProxy = settings.httpsProxy;
  if (settings.noProxy !== undefined) options.noProxy = settings.noProxy;
  return options;
}

/**
 * Fills what the files left unset from the editor's settings: its proxy when no proxy is configured,
 * its no-proxy list when none is, and `strictSSL: false` only when `proxyStrictSSL` is false, a proxy
 * is in use and the files do not set `strict-ssl` (VS Code's setting is about proxied connections;
 * direct ones keep full checks).
 */
export function withNetworkDefaults(settings: RegistrySettings, defaults: NetworkDefaults | undefined): RegistrySettings {
  if (defaults === undefined) return settings;
  const hasProxy = settings.proxy !== undefined || settings.httpsProxy !== undefined;
  const proxy = hasProxy ? undefined : nonEmpty(defaults.proxy);
  const noProxy = settings.noProxy === undefined && defaults.noProxy !== undefined && defaults.noProxy.length > 0 ? defaults.noProxy.join(',') : undefined;
  const proxied = hasProxy || proxy !== undefined;
  const relaxTls = settings.strictSSL === undefined && proxied && defaults.proxyStrictSSL === false;
  return {
    ...settings,
    ...(proxy === undefined ? {} : { proxy, httpsProxy: proxy }),
    ...(noProxy === undefined ? {} : { noProxy }),
    ...(relaxTls ? { strictSSL: false } : {}),
  };
}

/** Reads `cafile` into `ca` as npm does (split after each `-----END CERTIFICATE-----`); a missing or unreadable file is an error for that file. */
export async function readCaFile(settings: RegistrySettings, origin: string): Promise<{ settings: RegistrySettings; errors: FileError[] }> {
  const file = settings.cafile;
  if (file === undefined) return { settings, errors: [] };
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `could not be read (${(error as Error).message})`;
    return { settings, errors: [{ file: origin, message: `${origin}: the CA file ${file} ${reason}; registries with private certificates will fail TLS checks.` }] };
  }
  const delimiter = '-----END CERTIFICATE-----';
  const ca = raw
    .replace(/\r\n/g, '\n')
    .split(delimiter)
    .filter((section) => section.trim() !== '')
    .map((section) => section.trimStart() + delimiter);
  return { settings: { ...settings, ca }, errors: [] };
}

/** `https://host:port/path` -> `//host:port/path/`: the nerf-dart key prefix npm-registry-fetch matches credentials by. */
export function nerfDartOf(registryUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(registryUrl);
  } catch (error) {
    void error; // an unusable registry URL gets no credentials; the lookup itself reports the URL problem
    return undefined;
  }
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return `//${url.host}${path}`;
}

/**
 * A registry URL with user info (`https://user:pass@host/`, as Bun and Yarn accept) split into the
 * plain URL and a nerf-dart `_auth` credential for it. URLs without user info come back unchanged.
 */
export function splitUserInfo(registryUrl: string): { url: string; credentials: Record<string, string> } {
  let url: URL;
  try {
    url = new URL(registryUrl);
  } catch (error) {
    void error; // left as is: the lookup reports an unusable registry URL without echoing it
    return { url: registryUrl, credentials: {} };
  }
  if (url.username === '' && url.password === '') return { url: registryUrl, credentials: {} };
  const auth = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`, 'utf8').toString('base64');
  url.username = '';
  url.password = '';
  const plain = url.toString();
  return { url: plain, credentials: { [`${nerfDartOf(plain)}:_auth`]: auth } };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The home folder as the package managers find it: `HOME` (`USERPROFILE` on Windows) from the given environment, else the OS's. */
export function homeOf(env: Readonly<Record<string, string | undefined>>): string {
  return env.HOME || env.USERPROFILE || homedir();
}
