/** Keeps compact package histories on disk, one JSON file per package, with an in-memory layer above it. */

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PackageHistory } from '../types';
import { decodeCacheEntry, encodeCacheEntry } from './cache-format';

/** Bump when the stored shape (or PackageHistory) changes: older files are then ignored and refetched. */
export const CACHE_FORMAT_VERSION = 2;

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
  /** Size cap of the folder's entries; past it the least recently used files are removed. Default DEFAULT_MAX_CACHE_BYTES. */
  readonly maxBytes?: number;
  /** Size cap of the entries kept in memory (as JSON text). Default DEFAULT_MAX_MEMORY_BYTES. */
  readonly maxMemoryBytes?: number;
  /** The clock used to mark a file as used (its modification time); tests pin it. */
  readonly now?: () => Date;
}

const FILE_SUFFIX = '.json';
/** Our files: `<readable>-<hash>.json`, and the temporary files `set` writes. */
const OWN_FILE = /-[0-9a-f]{16}\.json(\.\d+\.[0-9a-f]{8}\.tmp)?$/;

/** 128 MB holds the compact histories of several thousand packages (most are 5–50 KB; the largest about 1 MB). */
export const DEFAULT_MAX_CACHE_BYTES = 128 * 1024 * 1024;
export const DEFAULT_MAX_MEMORY_BYTES = 32 * 1024 * 1024;
/** After an eviction the folder is at most this share of the cap, so the next writes do not evict again at once. */
const LOW_WATER = 0.8;
/** A file served from memory has its use recorded on disk at most this often. */
const TOUCH_INTERVAL_MS = 10 * 60_000;
/** A temporary file older than this was left by a crash and may be removed. */
const STALE_TEMP_MS = 60 * 60_000;

/**
 * The history cache. `get` checks memory, then disk, and returns only entries that are well formed,
 * of this format version, for this package and this registry; anything else counts as a miss.
 * `set` writes a temporary file and renames it over the old one, so a crash or a concurrent writer
 * (the CLI beside the editor) never leaves a half-written entry. Disk failures are logged, not thrown:
 * the cache only saves requests.
 *
 * Both layers are capped. Memory keeps the most recently used entries within `maxMemoryBytes`. On
 * disk a file's modification time records its last use (set on write, and on each read); once the
 * folder's entries pass `maxBytes`, the least recently used files are removed until they fit in 80%
 * of it. Another process sharing the folder only adds writes and reads: the cap holds for whichever
 * writes next.
 */
export class HistoryCache {
  /** Insertion order is recency order: a hit moves its entry to the end. */
  private readonly memory = new Map<string, { entry: CacheEntry; bytes: number; touchedAt: number }>();
  private memoryBytes = 0;
  /** The folder's size as last measured plus what was written since; undefined until first needed. */
  private diskBytes: number | undefined;
  private evicting: Promise<void> | undefined;
  /** Settles once the folder has been created by this cache. */
  private folderReady: Promise<void> | undefined;

  constructor(private readonly options: HistoryCacheOptions = {}) {}

  /** The file name for a package: readable prefix plus a hash, safe for scoped and odd names and case-insensitive disks. */
  static fileName(name: string): string {
    const readable = name.toLowerCase().replace(/[^a-z0-9.-]/g, '_').slice(0, 40);
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 16);
    return `${readable}-${hash}${FILE_SUFFIX}`;
  }

  async get(name: string, registry: string): Promise<CacheEntry | undefined> {
    const inMemory = this.memory.get(name);
    if (inMemory !== undefined) {
      this.memory.delete(name);
      this.memory.set(name, inMemory);
      if (this.clock() - inMemory.touchedAt >= TOUCH_INTERVAL_MS) {
        inMemory.touchedAt = this.clock();
        await this.touch(name);
      }
      return inMemory.entry.registry === registry ? inMemory.entry : undefined;
    }
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
    const value = decodeCacheEntry(text, name, CACHE_FORMAT_VERSION);
    if (value === undefined) {
      this.trace(`cache: ignoring ${file}: not a readable format ${CACHE_FORMAT_VERSION} entry for ${name}`);
      return undefined;
    }
    this.remember(value, Buffer.byteLength(text));
    await this.touch(name);
    return value.registry === registry ? value : undefined;
  }

  async set(entry: CacheEntry): Promise<void> {
    const text = encodeCacheEntry(entry);
    const bytes = Buffer.byteLength(text);
    this.remember(entry, bytes);
    const dir = this.options.dir;
    if (dir === undefined) return;
    const file = join(dir, HistoryCache.fileName(entry.name));
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    let folderExists = false;
    try {
      // Once per cache: a mkdir per write costs more than the write itself on a cold audit.
      await (this.folderReady ??= mkdir(dir, { recursive: true }).then(() => undefined));
      folderExists = true;
      await writeFile(temp, text, 'utf8');
      // A new file's modification time is already now; only a pinned clock (tests) needs setting.
      if (this.options.now !== undefined) {
        const at = new Date(this.clock());
        await utimes(temp, at, at);
      }
      await rename(temp, file);
      if (this.diskBytes !== undefined) this.diskBytes += bytes;
      await this.evictIfOverCap();
    } catch (error) {
      this.folderReady = undefined; // perhaps removed meanwhile: the next write creates it again
      this.trace(`cache: cannot write ${file}: ${describe(error)}`);
      // A leftover temp file is harmless (`get` never reads it, `clear` removes it), so this is best effort.
      if (folderExists) await rm(temp, { force: true }).catch((cleanup: unknown) => this.trace(`cache: cannot remove ${temp}: ${describe(cleanup)}`));
    }
  }

  /** Forgets every entry, in memory and on disk (only this cache's own files are removed). */
  async clear(): Promise<void> {
    this.memory.clear();
    this.memoryBytes = 0;
    this.diskBytes = undefined;
    const dir = this.options.dir;
    if (dir === undefined) return;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if (!isNotFound(error)) this.trace(`cache: cannot list ${dir}: ${describe(error)}`);
      return;
    }
    const ours = names.filter((file) => OWN_FILE.test(file));
    await Promise.all(ours.map((file) => rm(join(dir, file), { force: true })));
  }

  /**
   * Measures the folder when its size is not known yet, and when it is over `maxBytes` removes the
   * least recently used files (and temporary files left by crashes) until it fits in 80% of the cap.
   * One eviction runs at a time; failures are logged.
   */
  async evictIfOverCap(): Promise<void> {
    const dir = this.options.dir;
    if (dir === undefined) return;
    if (this.evicting !== undefined) return this.evicting;
    if (this.diskBytes !== undefined && this.diskBytes <= this.maxBytes) return;
    this.evicting = (async () => {
      const files = await this.listOwnFiles(dir);
      const now = this.clock();
      let total = files.reduce((sum, f) => sum + f.size, 0);
      const limit = total > this.maxBytes ? this.maxBytes * LOW_WATER : Infinity;
      const byUse = files.sort((a, b) => a.usedAt - b.usedAt);
      // The most recently used entry stays even when it alone passes the limit: it was just written or read.
      const newest = byUse.filter((f) => !f.temp).at(-1);
      for (const file of byUse) {
        const leftover = file.temp && now - file.usedAt > STALE_TEMP_MS;
        if (!leftover && (file.temp || file === newest || total <= limit)) continue;
        try {
          await rm(join(dir, file.name), { force: true });
          total -= file.size;
          if (!file.temp) this.trace(`cache: evicted ${file.name} (least recently used; the folder was over ${this.maxBytes} bytes)`);
        } catch (error) {
          this.trace(`cache: cannot remove ${file.name}: ${describe(error)}`);
        }
      }
      this.diskBytes = total;
    })().finally(() => {
      this.evicting = undefined;
    });
    return this.evicting;
  }

  private get maxBytes(): number {
    return this.options.maxBytes ?? DEFAULT_MAX_CACHE_BYTES;
  }

  private clock(): number {
    return (this.options.now?.() ?? new Date()).getTime();
  }

  /** Keeps an entry in memory as the most recently used, dropping the least recently used past the memory cap. */
  private remember(entry: CacheEntry, bytes: number): void {
    const prior = this.memory.get(entry.name);
    if (prior !== undefined) this.memoryBytes -= prior.bytes;
    this.memory.delete(entry.name);
    this.memory.set(entry.name, { entry, bytes, touchedAt: this.clock() });
    this.memoryBytes += bytes;
    const cap = this.options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
    for (const [name, held] of this.memory) {
      if (this.memoryBytes <= cap || this.memory.size === 1) break;
      this.memory.delete(name);
      this.memoryBytes -= held.bytes;
    }
  }

  /** Records a use of the package's file (its modification time), so eviction keeps it longer. */
  private async touch(name: string): Promise<void> {
    const dir = this.options.dir;
    if (dir === undefined) return;
    const at = new Date(this.clock());
    try {
      await utimes(join(dir, HistoryCache.fileName(name)), at, at);
    } catch (error) {
      // Gone (evicted or cleared by another process) or read-only: the entry in memory still serves.
      if (!isNotFound(error)) this.trace(`cache: cannot mark ${name} as used: ${describe(error)}`);
    }
  }

  private async listOwnFiles(dir: string): Promise<Array<{ name: string; size: number; usedAt: number; temp: boolean }>> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if (!isNotFound(error)) this.trace(`cache: cannot list ${dir}: ${describe(error)}`);
      return [];
    }
    const files = await Promise.all(
      names
        .filter((name) => OWN_FILE.test(name))
        .map(async (name) => {
          try {
            const info = await stat(join(dir, name));
            return { name, size: info.size, usedAt: info.mtimeMs, temp: name.endsWith('.tmp') };
          } catch (error) {
            void error; // removed meanwhile by another process: nothing to count
            return undefined;
          }
        }),
    );
    return files.filter((f): f is NonNullable<typeof f> => f !== undefined);
  }

  private trace(message: string): void {
    this.options.log?.(message);
  }
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
