/** Keeps compact package histories on disk, one JSON file per package, with an in-memory layer above it. */

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PackageHistory } from '../types';

/** Bump when the stored shape (or PackageHistory) changes: older files are then ignored and refetched. */
export const CACHE_FORMAT_VERSION = 1;

/** One cached package: only the compact history and what revalidation needs, never the packument. */
export interface CacheEntry {
  readonly formatVersion: typeof CACHE_FORMAT_VERSION;
  readonly name: string;
  /** The registry base URL the history came from, without credentials. */
  readonly registry: string;
  readonly etag?: string;
  readonly lastModified?: string;
  /** ISO time the registry last confirmed these facts (a 200 or a 304). */
  readonly fetchedAt: string;
  readonly history: PackageHistory;
}

export interface HistoryCacheOptions {
  /** Folder for the files; memory only when undefined. */
  readonly dir?: string;
  /** Trace lines about entries ignored or not written. */
  readonly log?: (message: string) => void;
}

const FILE_SUFFIX = '.json';

// TODO(#5): cap the folder's size and evict the least recently used files.
/**
 * The history cache. `get` checks memory, then disk, and returns only entries that are well formed,
 * of this format version, for this package and this registry; anything else counts as a miss.
 * `set` writes a temporary file and renames it over the old one, so a crash or a concurrent writer
 * (the CLI beside the editor) never leaves a half-written entry. Disk failures are logged, not thrown:
 * the cache only saves requests.
 */
export class HistoryCache {
  private readonly memory = new Map<string, CacheEntry>();

  constructor(private readonly options: HistoryCacheOptions = {}) {}

  /** The file name for a package: readable prefix plus a hash, safe for scoped and odd names and case-insensitive disks. */
  static fileName(name: string): string {
    const readable = name.toLowerCase().replace(/[^a-z0-9.-]/g, '_').slice(0, 40);
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 16);
    return `${readable}-${hash}${FILE_SUFFIX}`;
  }

  async get(name: string, registry: string): Promise<CacheEntry | undefined> {
    const inMemory = this.memory.get(name);
    if (inMemory !== undefined) return inMemory.registry === registry ? inMemory : undefined;
    const dir = this.options.dir;
    if (dir === undefined) return undefined;
    const file = join(dir, HistoryCache.fileName(name));
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (!isNotFound(error)) this.trace(`cache: cannot read ${file}: ${describe(error)}`);
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.trace(`cache: ignoring ${file}: not JSON (${describe(error)})`);
      return undefined;
    }
    if (!isCacheEntry(value, name)) {
      this.trace(`cache: ignoring ${file}: not a format ${CACHE_FORMAT_VERSION} entry for ${name}`);
      return undefined;
    }
    this.memory.set(name, value);
    return value.registry === registry ? value : undefined;
  }

  async set(entry: CacheEntry): Promise<void> {
    this.memory.set(entry.name, entry);
    const dir = this.options.dir;
    if (dir === undefined) return;
    const file = join(dir, HistoryCache.fileName(entry.name));
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    let folderExists = false;
    try {
      await mkdir(dir, { recursive: true });
      folderExists = true;
      await writeFile(temp, JSON.stringify(entry), 'utf8');
      await rename(temp, file);
    } catch (error) {
      this.trace(`cache: cannot write ${file}: ${describe(error)}`);
      // A leftover temp file is harmless (`get` never reads it, `clear` removes it), so this is best effort.
      if (folderExists) await rm(temp, { force: true }).catch((cleanup: unknown) => this.trace(`cache: cannot remove ${temp}: ${describe(cleanup)}`));
    }
  }

  /** Forgets every entry, in memory and on disk (only this cache's own files are removed). */
  async clear(): Promise<void> {
    this.memory.clear();
    const dir = this.options.dir;
    if (dir === undefined) return;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if (!isNotFound(error)) this.trace(`cache: cannot list ${dir}: ${describe(error)}`);
      return;
    }
    const ours = names.filter((file) => /-[0-9a-f]{16}\.json(\.\d+\.[0-9a-f]{8}\.tmp)?$/.test(file));
    await Promise.all(ours.map((file) => rm(join(dir, file), { force: true })));
  }

  private trace(message: string): void {
    this.options.log?.(message);
  }
}

/** Checks a parsed cache file: shape, format version and package name. Registry is compared by the caller. */
export function isCacheEntry(value: unknown, name: string): value is CacheEntry {
  if (!isRecord(value)) return false;
  return (
    value['formatVersion'] === CACHE_FORMAT_VERSION &&
    value['name'] === name &&
    typeof value['registry'] === 'string' &&
    isOptionalString(value['etag']) &&
    isOptionalString(value['lastModified']) &&
    typeof value['fetchedAt'] === 'string' &&
    !Number.isNaN(Date.parse(value['fetchedAt'])) &&
    isPackageHistory(value['history'], name)
  );
}

function isPackageHistory(value: unknown, name: string): value is PackageHistory {
  if (!isRecord(value)) return false;
  const { versions, removed, distTags } = value;
  return (
    value['name'] === name &&
    Array.isArray(versions) &&
    versions.every((v) => isRecord(v) && typeof v['version'] === 'string') &&
    Array.isArray(removed) &&
    removed.every((r) => isRecord(r) && typeof r['version'] === 'string' && typeof r['publishedAt'] === 'string') &&
    isRecord(distTags) &&
    Object.values(distTags).every((tag) => typeof tag === 'string') &&
    typeof value['hasPublisherData'] === 'boolean' &&
    typeof value['hasMaintainerData'] === 'boolean'
  );
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNotFound(error: unknown): boolean {
  return isRecord(error) && error['code'] === 'ENOENT';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
