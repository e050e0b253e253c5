/** The contract between the engine and whatever supplies package histories (registry, cache, test fakes). */

import type { PackageHistory } from '../types';

/** Why a package's history could not be had. */
export type LookupFailure = 'not-found' | 'unauthorized' | 'timeout' | 'offline' | 'error';

export type HistoryResult =
  | {
      readonly status: 'ok';
      readonly history: PackageHistory;
      /** Where the answer came from: the network, a 304 revalidation, or the cache without asking. */
      readonly from: 'network' | 'revalidated' | 'cache';
      /** ISO time the facts were last confirmed by the registry. */
      readonly fetchedAt: string;
      /** True when the registry could not be reached and older cached facts were used. */
      readonly stale: boolean;
      /** Why stale facts were used: offline mode, or how the registry failed. Present exactly when `stale`. */
      readonly staleBecause?: LookupFailure | 'offline-mode';
    }
  | {
      readonly status: LookupFailure;
      /** A message naming the package and the problem, without credentials. */
      readonly message: string;
    };

export interface RegistryOptions {
  /** Default registry URL, e.g. https://registry.npmjs.org/ */
  readonly registry: string;
  /** `@scope` -> registry URL. */
  readonly scopes?: Readonly<Record<string, string>>;
  /** Folder for the on-disk history cache; no disk cache when undefined. */
  readonly cacheDir?: string;
  /** Use only the cache; never touch the network. */
  readonly offline?: boolean;
  /** Ignore cached facts and ask the registry again (a cached ETag may still be sent). */
  readonly refresh?: boolean;
  /** How long cached facts are trusted without revalidation. Default 5 minutes. */
  readonly maxAgeMs?: number;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly retries?: number;
  /** Extra pacote/npm-registry-fetch options (auth as nerf-dart keys), passed through as given. */
  readonly npmOptions?: Readonly<Record<string, unknown>>;
}

export interface FetchProgress {
  readonly done: number;
  readonly total: number;
}

/** Supplies package histories; the registry client implements it, tests may fake it. */
export interface HistorySource {
  getHistories(
    names: readonly string[],
    options?: { readonly signal?: AbortSignal; readonly onProgress?: (p: FetchProgress) => void; readonly now?: Date },
  ): Promise<Map<string, HistoryResult>>;
}
