/** The registry client's cache: first fetch, memory and disk hits, ETag revalidation, refresh, offline and stale fallbacks. */

import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_FORMAT_VERSION, HistoryCache } from '../../../src/core/registry/cache';
import { decodeCacheEntry } from '../../../src/core/registry/cache-format';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { at, FIXTURE_DIR, historyOf, makeTempDir, readPackument, T0, testClient } from '../../support/registry-client-kit';

describe('registry client: cache and revalidation', () => {
  let registry: FixtureRegistry;
  let cacheDir: string;
  let removeCacheDir: () => Promise<void>;
  const doc = readPackument('example-lib');
  const history = historyOf('example-lib', doc);

  before(async () => {
    registry = await startFixtureRegistry({ dir: FIXTURE_DIR });
  });
  after(() => registry.close());
  beforeEach(async () => {
    ({ dir: cacheDir, remove: removeCacheDir } = await makeTempDir());
    registry.setDocument('example-lib', doc);
    registry.setBehaviour('example-lib', undefined);
    registry.resetStats();
  });
  afterEach(() => removeCacheDir());

  it('fetches the full packument once and returns its history', async () => {
    const { client } = testClient({ registry: registry.url, cacheDir });
    const results = await client.getHistories(['example-lib'], { now: T0 });
    assert.deepStrictEqual(results, new Map([['example-lib', { status: 'ok', history, from: 'network', fetchedAt: T0.toISOString(), stale: false }]]));
    assert.deepStrictEqual(
      registry.requests.map((r) => [r.method, r.url, r.status, r.headers['accept'], r.headers['if-none-match']]),
      [['GET', '/example-lib', 200, 'application/json', undefined]],
    );
  });

  it('answers a second call from memory without a request', async () => {
    const { client } = testClient({ registry: registry.url, cacheDir });
    await client.getHistories(['example-lib'], { now: T0 });
    const second = await client.getHistories(['example-lib'], { now: at(4) });
    assert.deepStrictEqual(second.get('example-lib'), { status: 'ok', history, from: 'cache', fetchedAt: T0.toISOString(), stale: false });
    assert.equal(registry.requests.length, 1);
  });

  it('answers a new client from the disk cache without a request', async () => {
    await testClient({ registry: registry.url, cacheDir }).client.getHistories(['example-lib'], { now: T0 });
    const { client } = testClient({ registry: registry.url, cacheDir });
    const result = await client.getHistories(['example-lib'], { now: at(1) });
    assert.deepStrictEqual(result.get('example-lib'), { status: 'ok', history, from: 'cache', fetchedAt: T0.toISOString(), stale: false });
    assert.equal(registry.requests.length, 1);
  });

  it('stores only the compact history on disk, in a hashed file name', async () => {
    await testClient({ registry: registry.url, cacheDir }).client.getHistories(['example-lib'], { now: T0 });
    assert.deepStrictEqual(await readdir(cacheDir), [HistoryCache.fileName('example-lib')]);
    const stored = await readFile(join(cacheDir, HistoryCache.fileName('example-lib')), 'utf8');
    const etag = await registry.etag('example-lib');
    assert.deepStrictEqual(decodeCacheEntry(stored, 'example-lib', CACHE_FORMAT_VERSION), { formatVersion: CACHE_FORMAT_VERSION, name: 'example-lib', registry: registry.url, etag, fetchedAt: T0.toISOString(), history });
  });

  it('revalidates an entry older than maxAgeMs with If-None-Match and keeps the history on 304', async () => {
    const { client } = testClient({ registry: registry.url, cacheDir, maxAgeMs: 5 * 60_000 });
    await client.getHistories(['example-lib'], { now: T0 });
    const later = await client.getHistories(['example-lib'], { now: at(6) });
    assert.deepStrictEqual(later.get('example-lib'), { status: 'ok', history, from: 'revalidated', fetchedAt: at(6).toISOString(), stale: false });
    const etag = await registry.etag('example-lib');
    assert.deepStrictEqual(registry.requests.map((r) => [r.status, r.headers['if-none-match']]), [[200, undefined], [304, etag]]);
    // The 304 renewed the entry: a minute later it is fresh again.
    const renewed = await client.getHistories(['example-lib'], { now: at(7) });
    assert.deepStrictEqual(renewed.get('example-lib'), { status: 'ok', history, from: 'cache', fetchedAt: at(6).toISOString(), stale: false });
    assert.equal(registry.requests.length, 2);
  });

  it('replaces the history when the document changed (200 to a conditional request)', async () => {
    const { client } = testClient({ registry: registry.url, cacheDir });
    await client.getHistories(['example-lib'], { now: T0 });
    const changed = structuredClone(doc) as { 'dist-tags': Record<string, string> };
    changed['dist-tags']['latest'] = '1.1.1';
    registry.setDocument('example-lib', changed);
    const later = await client.getHistories(['example-lib'], { now: at(10) });
    assert.deepStrictEqual(later.get('example-lib'), { status: 'ok', history: historyOf('example-lib', changed), from: 'network', fetchedAt: at(10).toISOString(), stale: false });
    assert.deepStrictEqual(registry.requests.map((r) => [r.status, typeof r.headers['if-none-match']]), [[200, 'undefined'], [200, 'string']]);
  });

  it('asks the registry again on refresh, even for a fresh entry, sending the ETag', async () => {
    await testClient({ registry: registry.url, cacheDir }).client.getHistories(['example-lib'], { now: T0 });
    const { client } = testClient({ registry: registry.url, cacheDir, refresh: true });
    const result = await client.getHistories(['example-lib'], { now: at(1) });
    assert.deepStrictEqual(result.get('example-lib'), { status: 'ok', history, from: 'revalidated', fetchedAt: at(1).toISOString(), stale: false });
    assert.deepStrictEqual(registry.requests.map((r) => r.status), [200, 304]);
  });

  it('serves gzip to a client that accepts it, and the history is the same', async () => {
    const { client } = testClient({ registry: registry.url, cacheDir });
    const result = await client.getHistories(['example-lib'], { now: T0 });
    assert.deepStrictEqual(result.get('example-lib'), { status: 'ok', history, from: 'network', fetchedAt: T0.toISOString(), stale: false });
    assert.deepStrictEqual(registry.requests.map((r) => [r.encoding, /gzip/.test(String(r.headers['accept-encoding']))]), [['gzip', true]]);
  });

  describe('offline', () => {
    it('answers from the cache without a request, however old the entry (stale when past maxAgeMs)', async () => {
      await testClient({ registry: registry.url, cacheDir }).client.getHistories(['example-lib'], { now: T0 });
      const { client } = testClient({ registry: registry.url, cacheDir, offline: true });
      const result = await client.getHistories(['example-lib'], { now: at(60 * 24) });
      assert.deepStrictEqual(result.get('example-lib'), { status: 'ok', history, from: 'cache', fetchedAt: T0.toISOString(), stale: true, staleBecause: 'offline-mode' });
      assert.equal(registry.requests.length, 1);
    });

    it('reports offline for a package that is not cached, without a request', async () => {
      const { client } = testClient({ registry: registry.url, cacheDir, offline: true });
      const result = await client.getHistories(['example-lib'], { now: T0 });
      assert.deepStrictEqual(result.get('example-lib'), {
        status: 'offline',
        message: 'example-lib: nothing is cached for it, and offline mode sends no requests; run once online to fill the cache.',
      });
      assert.equal(registry.requests.length, 0);
    });
  });

  describe('registry down', () => {
    it('returns the cached history marked stale when the registry cannot be reached', async () => {
      const down = await startFixtureRegistry({ documents: { 'example-lib': doc } });
      await testClient({ registry: down.url, cacheDir }).client.getHistories(['example-lib'], { now: T0 });
      await down.close();
      const { client } = testClient({ registry: down.url, cacheDir });
      const result = await client.getHistories(['example-lib'], { now: at(30) });
      assert.deepStrictEqual(result.get('example-lib'), { status: 'ok', history, from: 'cache', fetchedAt: T0.toISOString(), stale: true, staleBecause: 'offline' });
    });

    it('reports offline when the registry cannot be reached and nothing is cached', async () => {
      const down = await startFixtureRegistry();
      await down.close();
      const { client, sleeps } = testClient({ registry: down.url, cacheDir });
      const result = await client.getHistories(['example-lib'], { now: T0 });
      const host = new URL(down.url).host;
      assert.deepStrictEqual(result.get('example-lib'), {
        status: 'offline',
        message: `example-lib: ${host} cannot be reached (ECONNREFUSED) and nothing is cached for it; check the network and the registry setting.`,
      });
      assert.deepStrictEqual(sleeps.delays, [], 'a refused connection is not retried');
    });
  });

  describe('a broken answer', () => {
    it('reports truncated JSON as an error when nothing is cached', async () => {
      registry.setBehaviour('example-lib', { body: 'truncated' });
      const { client } = testClient({ registry: registry.url, cacheDir });
      const result = await client.getHistories(['example-lib'], { now: T0 });
      const failure = result.get('example-lib');
      assert.equal(failure?.status, 'error');
      assert.match(failure.status === 'error' ? failure.message : '', /^example-lib: 127\.0\.0\.1:\d+ sent an unusable packument \(not valid JSON: .+\); try again later\.$/);
      assert.deepStrictEqual(await readdir(cacheDir), [], 'nothing was cached');
    });

    it('keeps the cached entry intact and returns it stale when a revalidation brings truncated JSON', async () => {
      const { client } = testClient({ registry: registry.url, cacheDir });
      await client.getHistories(['example-lib'], { now: T0 });
      const file = join(cacheDir, HistoryCache.fileName('example-lib'));
      const before = await readFile(file, 'utf8');
      registry.setDocument('example-lib', { ...doc, description: 'changed, so the ETag no longer matches' });
      registry.setBehaviour('example-lib', { body: 'truncated' });
      const result = await client.getHistories(['example-lib'], { now: at(10) });
      assert.deepStrictEqual(result.get('example-lib'), { status: 'ok', history, from: 'cache', fetchedAt: T0.toISOString(), stale: true, staleBecause: 'error' });
      assert.equal(await readFile(file, 'utf8'), before);
      const fresh = await testClient({ registry: registry.url, cacheDir, offline: true }).client.getHistories(['example-lib'], { now: at(11) });
      assert.deepStrictEqual(fresh.get('example-lib'), { status: 'ok', history, from: 'cache', fetchedAt: T0.toISOString(), stale: true, staleBecause: 'offline-mode' });
    });

    it('reports a document that is not JSON at all (a captive portal page) as an error', async () => {
      registry.setBehaviour('example-lib', { body: 'invalid-json' });
      const { client } = testClient({ registry: registry.url, cacheDir });
      const result = await client.getHistories(['example-lib'], { now: T0 });
      assert.equal(result.get('example-lib')?.status, 'error');
    });
  });

  it('forgets everything on clearCache, so the next call asks the registry', async () => {
    const { client } = testClient({ registry: registry.url, cacheDir });
    await client.getHistories(['example-lib'], { now: T0 });
    await client.clearCache();
    assert.deepStrictEqual(await readdir(cacheDir), []);
    const result = await client.getHistories(['example-lib'], { now: at(1) });
    assert.deepStrictEqual(result.get('example-lib'), { status: 'ok', history, from: 'network', fetchedAt: at(1).toISOString(), stale: false });
    assert.deepStrictEqual(registry.requests.map((r) => [r.status, r.headers['if-none-match']]), [[200, undefined], [200, undefined]]);
  });

  it('keeps histories in memory only when no cacheDir is given', async () => {
    const { client } = testClient({ registry: registry.url });
    await client.getHistories(['example-lib'], { now: T0 });
    const second = await client.getHistories(['example-lib'], { now: at(1) });
    assert.deepStrictEqual(second.get('example-lib'), { status: 'ok', history, from: 'cache', fetchedAt: T0.toISOString(), stale: false });
    assert.deepStrictEqual(await readdir(cacheDir), []);
  });
});
