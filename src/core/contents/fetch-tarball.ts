/** Downloads one tarball from the configured registry into memory, with a size cap and a timeout, and checks its integrity before anything reads it. */

import type { RegistryFetch } from '../registry/fetch-packument';
import { redactText, redactUrl } from '../registry/registry-url';
import { escapePackageName } from '../registry/package-name';
import { matchesIntegrity } from './integrity';

/** Compressed tarballs larger than this are not downloaded (the largest real ones are ~100–200 MB of prebuilt binaries). */
export const MAX_TARBALL_BYTES = 256 * 1024 * 1024;

export type TarballFetch =
  | { readonly ok: true; readonly data: Buffer; readonly url: string }
  | { readonly ok: false; readonly problem: 'integrity' | 'fetch' | 'too-large'; readonly message: string };

export interface TarballRequest {
  readonly name: string;
  readonly version: string;
  /** The registry base URL the package's packument came from (with a trailing slash). */
  readonly registry: string;
  /** The packument's `dist.tarball`; used only when it is on the registry's own origin. */
  readonly tarball?: string;
  readonly integrity: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly npmOptions?: Readonly<Record<string, unknown>>;
  readonly maxBytes?: number;
}

/**
 * The URL to download from: the packument's `dist.tarball` when it is on the registry's origin,
 * else npm's conventional path on the registry (`<registry>/<name>/-/<base>-<version>.tgz`), so a
 * packument can never send us (or our credentials) to another host.
 */
export function tarballUrl(request: Pick<TarballRequest, 'name' | 'version' | 'registry' | 'tarball'>): string {
  const registry = request.registry.endsWith('/') ? request.registry : `${request.registry}/`;
  if (request.tarball !== undefined && URL.canParse(request.tarball) && URL.canParse(registry)) {
    const given = new URL(request.tarball);
    const base = new URL(registry);
    if (given.origin === base.origin && given.pathname.startsWith(base.pathname)) return given.toString();
  }
  const base = request.name.startsWith('@') ? request.name.slice(request.name.indexOf('/') + 1) : request.name;
  return `${registry}${escapePackageName(request.name).replace('%2f', '/')}/-/${base}-${request.version}.tgz`;
}

/** Fetches and verifies; never throws except when `request.signal` aborts. */
export async function fetchTarball(request: TarballRequest, fetch: RegistryFetch): Promise<TarballFetch> {
  const url = tarballUrl(request);
  const limit = request.maxBytes ?? MAX_TARBALL_BYTES;
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), request.timeoutMs);
  const signal = request.signal === undefined ? timer.signal : AbortSignal.any([request.signal, timer.signal]);
  try {
    const response = await fetch(url, {
      ...request.npmOptions,
      headers: { accept: 'application/octet-stream' },
      timeout: request.timeoutMs,
      retry: { retries: 1 },
      signal,
      // Tarballs are not kept: no HTTP cache, only the summary is cached (by integrity).
      cache: undefined,
      offline: false,
      preferOffline: false,
      preferOnline: false,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      size += buffer.length;
      if (size > limit) {
        timer.abort();
        return { ok: false, problem: 'too-large', message: `the tarball is larger than ${Math.round(limit / (1024 * 1024))} MB` };
      }
      chunks.push(buffer);
    }
    const data = Buffer.concat(chunks, size);
    if (!matchesIntegrity(data, request.integrity)) {
      return { ok: false, problem: 'integrity', message: `the tarball from ${redactUrl(url)} does not match the integrity the registry publishes (${request.integrity.slice(0, 20)}…)` };
    }
    return { ok: true, data, url: redactUrl(url) };
  } catch (error) {
    request.signal?.throwIfAborted();
    const why = timer.signal.aborted ? `timed out after ${request.timeoutMs / 1000} s` : redactText(error instanceof Error ? error.message : String(error));
    return { ok: false, problem: 'fetch', message: `cannot download ${redactUrl(url)}: ${why}` };
  } finally {
    clearTimeout(timeout);
  }
}

/** Loads npm-registry-fetch on first use: the esbuild plugin points this import at dist/pacote.js. */
export async function loadRegistryFetch(): Promise<RegistryFetch> {
  const chunk = await import('../registry/pacote-chunk');
  return chunk.registryFetch;
}
