/** The cache file format: every history reads back exactly as written, in a fraction of the space, and any field out of shape is a miss. */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHistory } from '../../../src/core/history';
import { CACHE_FORMAT_VERSION, type CacheEntry } from '../../../src/core/registry/cache';
import { decodeCacheEntry, encodeCacheEntry } from '../../../src/core/registry/cache-format';
import type { PackageHistory, VersionFacts } from '../../../src/core/types';

const FORMAT = CACHE_FORMAT_VERSION;
const FIXTURE_DIRS = [join(__dirname, '..', '..', 'fixtures', 'packuments'), join(__dirname, '..', '..', 'fixtures', 'registry-client')];

function entryOf(history: PackageHistory): CacheEntry {
  return { formatVersion: FORMAT, name: history.name, registry: 'https://r.example/', etag: '"e"', fetchedAt: '2025-11-01T12:00:00.000Z', history };
}

const histories = FIXTURE_DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => {
      const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { name?: unknown };
      const name = typeof doc.name === 'string' ? doc.name : file.replace(/\.json$/, '').replace('__', '/');
      const built = buildHistory(name, doc);
      return built.ok ? [{ file, history: built.history }] : [];
    }),
);

/** A long history as the registry repeats it: same publisher, maintainers, repository and tarball pattern on every version. */
function longHistory(count: number): PackageHistory {
  const versions: VersionFacts[] = Array.from({ length: count }, (_, i) => ({
    version: `1.${i}.0`,
    publishedAt: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString(),
    publisher: i % 2 === 0 ? 'alice' : 'bob',
    maintainers: ['alice', 'bob'],
    provenance: i > count / 2,
    installScripts: {},
    integrity: `sha512-${Buffer.alloc(64, i).toString('base64')}`,
    tarball: `https://registry.npmjs.org/big-lib/-/big-lib-1.${i}.0.tgz`,
    repository: 'git+https://github.com/big/big-lib.git',
  }));
  return { name: 'big-lib', versions, removed: [], distTags: { latest: `1.${count - 1}.0` }, hasPublisherData: true, hasMaintainerData: true };
}

describe('cache file format', () => {
  describe('reads back exactly what was written', () => {
    for (const { file, history } of histories) {
      it(`the history of ${file}`, () => {
        const entry = entryOf(history);
        const decoded = decodeCacheEntry(encodeCacheEntry(entry), history.name, FORMAT);
        assert.deepStrictEqual(decoded, entry);
        // Same key order too, so a report serialises identically from a cached or a fresh history.
        assert.equal(JSON.stringify(decoded), JSON.stringify(entry));
      });
    }

    it('a long history, odd tarball URLs and an entry without etag', () => {
      const long = longHistory(50);
      const versions = long.versions.map((v, i) => (i === 3 ? { ...v, tarball: 'https://mirror.example/other.tgz' } : i === 4 ? { ...v, tarball: undefined, integrity: undefined } : v));
      const history = { ...long, versions: versions.map((v) => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as unknown as VersionFacts) };
      const { etag: _etag, ...entry } = entryOf(history);
      assert.deepStrictEqual(decodeCacheEntry(encodeCacheEntry(entry), 'big-lib', FORMAT), entry);
    });
  });

  it('takes under half the space of one JSON object per version', () => {
    const entry = entryOf(longHistory(500));
    const compact = Buffer.byteLength(encodeCacheEntry(entry));
    const rows = Buffer.byteLength(JSON.stringify(entry));
    assert.ok(compact < rows * 0.5, `${compact} bytes against ${rows}`);
  });

  describe('treats a file out of shape as a miss', () => {
    const good = JSON.parse(encodeCacheEntry(entryOf(longHistory(3)))) as Record<string, unknown> & { history: Record<string, unknown> & { columns: Record<string, unknown[]> } };
    const withHistory = (change: (h: typeof good.history) => void) => {
      const copy = structuredClone(good);
      change(copy.history);
      return JSON.stringify(copy);
    };
    const cases: Array<[string, string]> = [
      ['not JSON (cut short)', encodeCacheEntry(entryOf(longHistory(3))).slice(0, 50)],
      ['another format version', JSON.stringify({ ...good, formatVersion: FORMAT - 1 })],
      ['another package', JSON.stringify({ ...good, name: 'other' })],
      ['a history of another package', withHistory((h) => (h.name = 'other'))],
      ['an unreadable fetchedAt', JSON.stringify({ ...good, fetchedAt: 'yesterday' })],
      ['a numeric etag', JSON.stringify({ ...good, etag: 42 })],
      ['a column shorter than the versions', withHistory((h) => h.columns['publisher']?.pop())],
      ['a string index outside the table', withHistory((h) => (h.columns['publisher'] = [0, 1, 99]))],
      ['a maintainer list naming a missing string', withHistory((h) => (h.lists = [[7]]))],
      ['a flag that is not -1, 0 or 1', withHistory((h) => (h.columns['provenance'] = [0, 2, 1]))],
      ['a version that is not a string', withHistory((h) => (h.columns['version'] = [1, '1.1.0', '1.2.0']))],
      ['an install script under another name', withHistory((h) => (h.scripts = [{ test: 'x' }]))],
      ['a derived tarball without a pattern', withHistory((h) => void delete (h as Record<string, unknown>)['tarballPattern'])],
      ['no columns', withHistory((h) => void delete (h as Record<string, unknown>)['columns'])],
      ['an array', JSON.stringify([good])],
    ];
    for (const [what, text] of cases) {
      it(`with ${what}`, () => assert.equal(decodeCacheEntry(text, 'big-lib', FORMAT), undefined));
    }

    it('and reads the unchanged file (control)', () => {
      assert.notEqual(decodeCacheEntry(JSON.stringify(good), 'big-lib', FORMAT), undefined);
    });
  });
});
