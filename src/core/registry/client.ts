/** The registry client: package names in, compact histories out, through the history cache and npm-registry-fetch. */

import { buildHistory } from '../history';
import { CACHE_FORMAT_VERSION, HistoryCache, type CacheEntry } from './cache';
import { describeBadDocument, describeFetchFailure, describeInvalidName, describeOfflineMiss, describeUnexpected, type Failure } from './failure-message';
import { fetchPackument, type FetchDeps, type RegistryFetch } from './fetch-packument';
import { createLimiter } from './limiter';
import { checkPackageName } from './package-name';
import { packumentUrl, pickRegistry, redactText, redactUrl, registryHost } from './registry-url';
import type { FetchProgress, HistoryResult, HistorySource, LookupFailure, RegistryOptions } from './types';

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 2;
export const DEFAULT_MAX_AGE_MS = 5 * 60_000;

/** A HistorySource that can also forget what it cached. */
export interface RegistryClient extends HistorySource {
  /** Removes every cached history, in memory and on disk. */
  clearCache(): Promise<void>;
}

/** What the client reaches outside itself; tests replace the clock, the waits and the module loader. */
export interface RegistryClientDeps {
  /** Loads npm-registry-fetch; defaults to the lazily loaded chunk (dist/pacote.js in bundles). */
  readonly loadFetch?: () => Promise<RegistryFetch>;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** The clock when `getHistories` is not given `now`. */
  readonly now?: () => Date;
  /** Trace lines: requests, cache misses, ignored cache files. */
  readonly log?: (message: string) => void;
}

interface LookupContext {
  readonly now: Date;
  readonly signal?: AbortSignal;
  /** Hosts found unreachable during this call, with the error code: later packages on them skip the request. */
  readonly unreachable: Map<string, string>;
}

/**
 * Creates the registry client. Nothing is loaded or requested until `getHistories` needs it.
 *
 * For each name: an invalid name is refused without a request; a cached entry younger than
 * `maxAgeMs` is used as is (unless `refresh`); otherwise the packument is requested with the cached
 * ETag, a 304 keeps the cached history, a 200 replaces it. `offline` answers from the cache only.
 * When the registry cannot be reached or fails (timeout, 5xx, unusable answer) and a cached entry
 * exists, that entry is returned with `stale: true`. A 404, 401 or 403 is an answer and is never
 * hidden behind the cache. Requests share one concurrency limit across calls.
 * `getHistories` rejects only when its signal aborts (with the signal's reason). Ages are measured
 * against the call's `now` (default: the clock); an entry stamped later than `now` is revalidated.
 */
export function createRegistryClient(options: RegistryOptions, deps: RegistryClientDeps = {}): RegistryClient {
  const log = deps.log ?? (() => undefined);
  const cache = new HistoryCache({ dir: options.cacheDir, log });
  const limit = createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const clock = deps.now ?? (() => new Date());
  let fetchModule: Promise<RegistryFetch> | undefined;
  const loadFetch = (): Promise<RegistryFetch> => {
    fetchModule ??= (deps.loadFetch ?? loadRegistryFetch)();
    return fetchModule;
  };

  const lookup = async (name: string, context: LookupContext): Promise<HistoryResult> => {
    const invalid = checkPackageName(name);
    if (invalid !== undefined) return describeInvalidName(name, invalid);
    const registryUrl = pickRegistry(name, options);
    const registry = redactUrl(registryUrl);
    const host = registryHost(registryUrl);
    const cached = await cache.get(name, registry);
    const age = cached === undefined ? Infinity : context.now.getTime() - Date.parse(cached.fetchedAt);
    const fresh = age >= 0 && age < maxAgeMs;

    if (options.offline) return cached === undefined ? describeOfflineMiss(name) : fromCache(cached, fresh ? undefined : 'offline-mode');
    if (cached !== undefined && fresh && !options.refresh) return fromCache(cached, undefined);
    const orStale = (failure: Failure): HistoryResult => (cached === undefined ? failure : fromCache(cached, failure.status));

    let fetch: RegistryFetch;
    try {
      fetch = await loadFetch();
    } catch (error) {
      fetchModule = undefined; // let a later call try again
      return orStale(describeUnexpected(name, describe(error)));
    }
    const fetchDeps: FetchDeps = { fetch, sleep: deps.sleep ?? sleep, random: deps.random ?? Math.random, now: clock };
    const url = packumentUrl(registryUrl, name);
    const { outcome, attempts } = await limit(
      async () => {
        // Checked once a slot is free: the packages queued behind a failed one need not wait for their own failure.
        const code = context.unreachable.get(host);
        if (code !== undefined) return { outcome: { kind: 'unreachable', code } as const, attempts: 0 };
        log(`GET ${redactUrl(url)}${cached?.etag === undefined ? '' : ` (If-None-Match ${cached.etag})`}`);
        const fetched = await fetchPackument(
          {
            url,
            ...(cached?.etag === undefined ? {} : { etag: cached.etag }),
            ...(cached?.lastModified === undefined ? {} : { lastModified: cached.lastModified }),
            timeoutMs,
            retries: options.retries ?? DEFAULT_RETRIES,
            historyOnly: true,
            ...(context.signal === undefined ? {} : { signal: context.signal }),
            ...(options.npmOptions === undefined ? {} : { npmOptions: options.npmOptions }),
          },
          fetchDeps,
        );
        if (fetched.outcome.kind === 'unreachable') context.unreachable.set(host, fetched.outcome.code);
        return fetched;
      },
      context.signal,
    );
    const fetchedAt = context.now.toISOString();

    switch (outcome.kind) {
      case 'not-modified': {
        if (cached === undefined) return describeBadDocument(name, host, 'HTTP 304 to a request that had no ETag');
        const entry: CacheEntry = { ...cached, fetchedAt };
        await cache.set(entry);
        return { status: 'ok', history: entry.history, from: 'revalidated', fetchedAt, stale: false };
      }
      case 'document': {
        let doc: unknown;
        try {
          doc = JSON.parse(outcome.text);
        } catch (error) {
          return orStale(describeBadDocument(name, host, `not valid JSON: ${describe(error)}`));
        }
        const built = buildHistory(name, doc);
        if (!built.ok) return orStale(describeBadDocument(name, host, built.message));
        const entry: CacheEntry = {
          formatVersion: CACHE_FORMAT_VERSION,
          name,
          registry,
          ...(outcome.etag === undefined ? {} : { etag: outcome.etag }),
          ...(outcome.lastModified === undefined ? {} : { lastModified: outcome.lastModified }),
          fetchedAt,
          history: built.history,
        };
        await cache.set(entry);
        return { status: 'ok', history: entry.history, from: 'network', fetchedAt, stale: false };
      }
      default: {
        const failure = describeFetchFailure(name, host, outcome, attempts, timeoutMs);
        log(`${name}: ${failure.status}${cached === undefined ? '' : ', using the cached history'}`);
        return failure.status === 'not-found' || failure.status === 'unauthorized' ? failure : orStale(failure);
      }
    }
  };

  return {
    async getHistories(names, callOptions = {}) {
      const unique = [...new Set(names)];
      const context: LookupContext = {
        now: callOptions.now ?? clock(),
        unreachable: new Map(),
        ...(callOptions.signal === undefined ? {} : { signal: callOptions.signal }),
      };
      const progress: FetchProgress = { done: 0, total: unique.length };
      let done = 0;
      callOptions.onProgress?.(progress);
      const results = await Promise.all(
        unique.map(async (name) => {
          const result = await lookup(name, context).catch((error: unknown): HistoryResult => {
            callOptions.signal?.throwIfAborted();
            // A bug in one lookup must not hide the other packages' results: report it as this package's error.
            log(redactText(`${name}: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
            return describeUnexpected(name, describe(error));
          });
          callOptions.signal?.throwIfAborted();
          callOptions.onProgress?.({ done: ++done, total: unique.length });
          return [name, result] as const;
        }),
      );
      return new Map(results);
    },
    clearCache: () => cache.clear(),
  };
}

/** A cached entry as a result; `staleBecause` marks it stale and says why the registry's answer was not used. */
function fromCache(entry: CacheEntry, staleBecause: LookupFailure | 'offline-mode' | undefined): HistoryResult {
  return { status: 'ok', history: entry.history, from: 'cache', fetchedAt: entry.fetchedAt, stale: staleBecause !== undefined, ...(staleBecause === undefined ? {} : { staleBecause }) };
}

/** Loads npm-registry-fetch on first use: the esbuild plugin points this import at dist/pacote.js. */
async function loadRegistryFetch(): Promise<RegistryFetch> {
  const [chunk, { onNodeAgents }] = await Promise.all([import('./pacote-chunk'), import('./node-agents')]);
  return onNodeAgents(chunk.registryFetch);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describe(error: unknown): string {
  return redactText(error instanceof Error ? error.message : String(error));
}
