/** HistoryCache: safe file names, validation of stored entries, atomic writes and clearing. */

import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_FORMAT_VERSION, HistoryCache, type CacheEntry } from '../../../src/core/registry/cache';
import { decodeCacheEntry, encodeCacheEntry } from '../../../src/core/registry/cache-format';
import { historyOf, makeTempDir, readPackument, T0 } from '../../support/registry-client-kit';

const REGISTRY = 'https://registry.example/';
const entry: CacheEntry = {
  formatVersion: CACHE_FORMAT_VERSION,
  name: 'example-lib',
  registry: REGISTRY,
  etag: '"abc"',
  fetchedAt: T0.toISOString(),
  history: historyOf('example-lib', readPackument('example-lib')),
};

describe('HistoryCache', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await makeTempDir()));
  afterEach(() => remove());

  describe('fileName', () => {
    const names = ['example-lib', '@scope/name', 'JSONStream', 'jsonstream', '@Scope/Name', 'a'.repeat(214), "odd~name!('*)"];
    for (const name of names) {
      it(`gives ${JSON.stringify(name.slice(0, 20))} a plain, bounded file name`, () => {
        assert.match(HistoryCache.fileName(name), /^[a-z0-9._-]{1,40}-[0-9a-f]{16}\.json$/);
      });
    }

    it('keeps names that differ only in case apart (case-insensitive disks)', () => {
      assert.notEqual(HistoryCache.fileName('JSONStream'), HistoryCache.fileName('jsonstream'));
    });
  });

  it('returns what was set, from disk, to a new instance', async () => {
    await new HistoryCache({ dir }).set(entry);
    assert.deepStrictEqual(await new HistoryCache({ dir }).get('example-lib', REGISTRY), entry);
  });

  it('leaves no temporary file behind and replaces the previous entry', async () => {
    const cache = new HistoryCache({ dir });
    await cache.set(entry);
    await cache.set({ ...entry, etag: '"def"' });
    assert.deepStrictEqual(await readdir(dir), [HistoryCache.fileName('example-lib')]);
    const stored = await readFile(join(dir, HistoryCache.fileName('example-lib')), 'utf8');
    assert.deepStrictEqual(decodeCacheEntry(stored, 'example-lib', CACHE_FORMAT_VERSION), { ...entry, etag: '"def"' });
  });

  describe('ignores a stored entry that does not fit', () => {
    // The stored form of `entry`, changed in one place each (cache-format.test.ts covers every field).
    const stored = JSON.parse(encodeCacheEntry(entry)) as Record<string, unknown> & { history: Record<string, unknown> & { columns: Record<string, unknown> } };
    const withHistory = (change: Record<string, unknown>) => ({ ...stored, history: { ...stored.history, ...change } });
    const cases: Array<[string, unknown]> = [
      ['another format version', { ...stored, formatVersion: CACHE_FORMAT_VERSION + 1 }],
      ['the previous format (one object per version)', { ...entry, formatVersion: CACHE_FORMAT_VERSION - 1 }],
      ['another package', { ...stored, name: 'other-lib', history: { ...stored.history, name: 'other-lib' } }],
      ['a history of another package', withHistory({ name: 'other-lib' })],
      ['a history without versions', withHistory({ columns: { ...stored.history.columns, version: undefined } })],
      ['a version without its number', withHistory({ columns: { ...stored.history.columns, version: stored.history.columns['publisher'] } })],
      ['an unreadable fetchedAt', { ...stored, fetchedAt: 'yesterday' }],
      ['a numeric etag', { ...stored, etag: 42 }],
      ['an array', [stored]],
    ];
    for (const [what, stored] of cases) {
      it(`with ${what}`, async () => {
        const logged: string[] = [];
        await writeFile(join(dir, HistoryCache.fileName('example-lib')), JSON.stringify(stored));
        assert.equal(await new HistoryCache({ dir, log: (m) => logged.push(m) }).get('example-lib', REGISTRY), undefined);
        assert.equal(logged.length, 1);
      });
    }

    it('that is not JSON (a file cut short)', async () => {
      await writeFile(join(dir, HistoryCache.fileName('example-lib')), encodeCacheEntry(entry).slice(0, 100));
      assert.equal(await new HistoryCache({ dir }).get('example-lib', REGISTRY), undefined);
    });

    it('from another registry', async () => {
      await new HistoryCache({ dir }).set(entry);
      assert.equal(await new HistoryCache({ dir }).get('example-lib', 'https://other.example/'), undefined);
    });
  });

  it('reports a write failure to the log instead of throwing, and still serves from memory', async () => {
    const file = join(dir, 'not-a-folder');
    await writeFile(file, '');
    const logged: string[] = [];
    const cache = new HistoryCache({ dir: file, log: (m) => logged.push(m) });
    await cache.set(entry);
    assert.deepStrictEqual(await cache.get('example-lib', REGISTRY), entry);
    assert.equal(logged.length, 1);
    assert.match(logged[0] ?? '', /^cache: cannot write /);
  });

  it('clears its own files and leaves other files in the folder alone', async () => {
    const cache = new HistoryCache({ dir });
    await cache.set(entry);
    await writeFile(join(dir, 'notes.txt'), 'keep me');
    await cache.clear();
    assert.deepStrictEqual(await readdir(dir), ['notes.txt']);
    assert.equal(await cache.get('example-lib', REGISTRY), undefined);
  });
});

describe('HistoryCache: size cap and least-recently-used eviction', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await makeTempDir()));
  afterEach(() => remove());

  const named = (name: string): CacheEntry => ({ ...entry, name, history: { ...entry.history, name } });
  const size = Buffer.byteLength(encodeCacheEntry(named('pkg-a')));

  it('removes the least recently used files once the folder passes the cap, keeping entries read since', async () => {
    let minute = 0;
    const now = () => new Date(T0.getTime() + minute * 60_000);
    const log: string[] = [];
    // Room for three entries; after eviction at most 80% of the cap (two entries) remain.
    const cache = new HistoryCache({ dir, maxBytes: size * 3 + 10, now, log: (m) => log.push(m) });
    for (const name of ['pkg-a', 'pkg-b', 'pkg-c']) {
      minute++;
      await cache.set(named(name));
    }
    minute++;
    assert.ok(await new HistoryCache({ dir, now }).get('pkg-a', REGISTRY), 'a read from disk marks pkg-a as used');
    minute++;
    await cache.set(named('pkg-d'));
    const left = (await readdir(dir)).sort();
    assert.deepStrictEqual(left, [HistoryCache.fileName('pkg-a'), HistoryCache.fileName('pkg-d')].sort());
    assert.deepStrictEqual(log, [
      `cache: evicted ${HistoryCache.fileName('pkg-b')} (least recently used; the folder was over ${size * 3 + 10} bytes)`,
      `cache: evicted ${HistoryCache.fileName('pkg-c')} (least recently used; the folder was over ${size * 3 + 10} bytes)`,
    ]);
    assert.equal(await new HistoryCache({ dir }).get('pkg-b', REGISTRY), undefined, 'an evicted entry is a miss, not an error');
  });

  it('evicts nothing while the folder is under the cap (control)', async () => {
    const cache = new HistoryCache({ dir, maxBytes: size * 10 });
    for (const name of ['pkg-a', 'pkg-b', 'pkg-c', 'pkg-d']) await cache.set(named(name));
    assert.equal((await readdir(dir)).length, 4);
  });

  it('counts files another process wrote, and removes temporary files a crash left behind', async () => {
    const now = () => new Date(T0.getTime() + 2 * 3600_000);
    await new HistoryCache({ dir, now: () => T0 }).set(named('pkg-old'));
    const leftover = `${HistoryCache.fileName('pkg-x')}.123.abcdef01.tmp`;
    await writeFile(join(dir, leftover), 'partial');
    const { utimes } = await import('node:fs/promises');
    await utimes(join(dir, leftover), T0, T0);
    const cache = new HistoryCache({ dir, maxBytes: size + 10, now });
    await cache.set(named('pkg-new'));
    assert.deepStrictEqual((await readdir(dir)).sort(), [HistoryCache.fileName('pkg-new')]);
  });

  it('keeps only the most recently used entries in memory past the memory cap', async () => {
    const cache = new HistoryCache({ maxMemoryBytes: size * 2 + 10 });
    for (const name of ['pkg-a', 'pkg-b']) await cache.set(named(name));
    await cache.get('pkg-a', REGISTRY); // pkg-a is now the most recently used
    await cache.set(named('pkg-c'));
    assert.deepStrictEqual(
      await Promise.all(['pkg-a', 'pkg-b', 'pkg-c'].map(async (n) => (await cache.get(n, REGISTRY)) !== undefined)),
      [true, false, true],
    );
  });
});
