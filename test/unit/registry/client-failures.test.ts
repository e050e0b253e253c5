/** The registry client against failing registries: retries, status mapping, timeouts, names, scopes, credentials, concurrency. */

import assert from 'node:assert/strict';
import type { RegistryFetch } from '../../../src/core/registry/fetch-packument';
import type { HistoryResult } from '../../../src/core/registry/types';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { FIXTURE_DIR, historyOf, readPackument, T0, testClient } from '../../support/registry-client-kit';

describe('registry client: failures and requests', () => {
  let registry: FixtureRegistry;
  let host: string;
  const doc = readPackument('example-lib');
  const ok: HistoryResult = { status: 'ok', history: historyOf('example-lib', doc), from: 'network', fetchedAt: T0.toISOString(), stale: false };

  before(async () => {
    registry = await startFixtureRegistry({ dir: FIXTURE_DIR });
    host = new URL(registry.url).host;
  });
  after(() => registry.close());
  beforeEach(() => {
    registry.setBehaviour('example-lib', undefined);
    registry.resetStats();
  });

  const fetchOne = async (options: Parameters<typeof testClient>[0], name = 'example-lib') => {
    const { client, sleeps } = testClient(options);
    const result = (await client.getHistories([name], { now: T0 })).get(name);
    await registry.settled();
    return { result, sleeps, statuses: registry.requests.map((r) => r.status) };
  };

  describe('retries', () => {
    it('retries a 500 after a backoff and returns the history', async () => {
      registry.setBehaviour('example-lib', { status: 500, times: 1 });
      assert.deepStrictEqual(await fetchOne({ registry: registry.url }), { result: ok, sleeps: { delays: [500] }, statuses: [500, 200] });
    });

    it('doubles the backoff on each retry', async () => {
      registry.setBehaviour('example-lib', { status: 503, times: 2 });
      assert.deepStrictEqual(await fetchOne({ registry: registry.url }), { result: ok, sleeps: { delays: [500, 1000] }, statuses: [503, 503, 200] });
    });

    it('gives up after `retries` retries and reports the status', async () => {
      registry.setBehaviour('example-lib', { status: 500 });
      assert.deepStrictEqual(await fetchOne({ registry: registry.url, retries: 2 }), {
        result: { status: 'error', message: `example-lib: ${host} answered HTTP 500 after 3 attempts; try again later.` },
        sleeps: { delays: [500, 1000] },
        statuses: [500, 500, 500],
      });
    });

    it('waits as long as Retry-After asks on a 429', async () => {
      registry.setBehaviour('example-lib', { status: 429, retryAfter: '3', times: 1 });
      assert.deepStrictEqual(await fetchOne({ registry: registry.url }), { result: ok, sleeps: { delays: [3000] }, statuses: [429, 200] });
    });

    it('does not wait for a Retry-After beyond the cap, and says how long the registry asked for', async () => {
      registry.setBehaviour('example-lib', { status: 429, retryAfter: '120' });
      assert.deepStrictEqual(await fetchOne({ registry: registry.url }), {
        result: { status: 'error', message: `example-lib: ${host} answered HTTP 429 after 1 attempt and asks to wait 120 s; try again later.` },
        sleeps: { delays: [] },
        statuses: [429],
      });
    });

    it('retries a reset connection', async () => {
      registry.setBehaviour('example-lib', { reset: true, times: 1 });
      assert.deepStrictEqual(await fetchOne({ registry: registry.url }), { result: ok, sleeps: { delays: [500] }, statuses: [0, 200] });
    });

    it('reports a connection that keeps being reset as an error', async () => {
      registry.setBehaviour('example-lib', { reset: true });
      const { result, statuses } = await fetchOne({ registry: registry.url, retries: 1 });
      assert.deepStrictEqual(statuses, [0, 0]);
      assert.equal(result?.status, 'error');
      assert.match(result?.status === 'error' ? result.message : '', /^example-lib: the connection to 127\.0\.0\.1:\d+ failed \(ECONNRESET: .*\) after 2 attempts; try again later\.$/);
    });
  });

  describe('answers that are not retried', () => {
    it('maps 404 to not-found, naming the registry host', async () => {
      assert.deepStrictEqual(await fetchOne({ registry: registry.url }, 'no-such-package'), {
        result: { status: 'not-found', message: `no-such-package was not found on ${host}: a typo, a removed package, or a private package needing credentials.` },
        sleeps: { delays: [] },
        statuses: [404],
      });
    });

    for (const status of [401, 403]) {
      it(`maps ${status} to unauthorized`, async () => {
        registry.setBehaviour('example-lib', { status });
        assert.deepStrictEqual(await fetchOne({ registry: registry.url }), {
          result: { status: 'unauthorized', message: `example-lib: ${host} refused access (HTTP ${status}); check the credentials for ${host} in .npmrc.` },
          sleeps: { delays: [] },
          statuses: [status],
        });
      });
    }
  });

  describe('timeouts', () => {
    it('reports a response slower than timeoutMs as a timeout', async () => {
      registry.setBehaviour('example-lib', { delayMs: 1000 });
      assert.deepStrictEqual(await fetchOne({ registry: registry.url, timeoutMs: 100, retries: 0 }), {
        result: { status: 'timeout', message: `example-lib: ${host} did not answer within 0.1 s (1 attempt); check the network, or raise the timeout.` },
        sleeps: { delays: [] },
        statuses: [0],
      });
    });

    it('retries after a timeout', async () => {
      registry.setBehaviour('example-lib', { delayMs: 1000, times: 1 });
      const { result, sleeps } = await fetchOne({ registry: registry.url, timeoutMs: 200, retries: 1 });
      assert.deepStrictEqual({ result, sleeps }, { result: ok, sleeps: { delays: [500] } });
      assert.deepStrictEqual(registry.requests.filter((r) => r.status === 200).length, 1);
    });
  });

  describe('names', () => {
    it('never requests an invalid name and says why', async () => {
      const names = ['../x', '@scope/../x', '..', '', 'a b', '@scope%2f..%2fx', 'name/../../etc'];
      const { client } = testClient({ registry: registry.url });
      const results = await client.getHistories(names, { now: T0 });
      assert.deepStrictEqual(
        [...results.values()].map((r) => r.status),
        names.map(() => 'error'),
      );
      assert.deepStrictEqual(results.get('../x'), { status: 'error', message: '"../x" is not a valid npm package name (a name cannot start with "." or "_"); it was not looked up.' });
      assert.deepStrictEqual(registry.requests, []);
    });

    it('still requests a valid name next to invalid ones (control)', async () => {
      const { client } = testClient({ registry: registry.url });
      const results = await client.getHistories(['../x', 'example-lib'], { now: T0 });
      assert.deepStrictEqual(results.get('example-lib'), ok);
      assert.deepStrictEqual(registry.requests.map((r) => r.url), ['/example-lib']);
    });

    it('requests a scoped package as /@scope%2fname', async () => {
      const { client } = testClient({ registry: registry.url });
      const results = await client.getHistories(['@scope/scoped-lib'], { now: T0 });
      const scoped = readPackument('@scope/scoped-lib');
      assert.deepStrictEqual(results.get('@scope/scoped-lib'), { ...ok, history: historyOf('@scope/scoped-lib', scoped) });
      assert.deepStrictEqual(registry.requests.map((r) => [r.url, r.name]), [['/@scope%2fscoped-lib', '@scope/scoped-lib']]);
    });

    it('requests each name once when it is listed twice', async () => {
      const { client } = testClient({ registry: registry.url });
      const results = await client.getHistories(['example-lib', 'example-lib'], { now: T0 });
      assert.deepStrictEqual(results, new Map([['example-lib', ok]]));
      assert.equal(registry.requests.length, 1);
    });
  });

  describe('scoped registries and credentials', () => {
    let scopedRegistry: FixtureRegistry;
    before(async () => {
      scopedRegistry = await startFixtureRegistry({ dir: FIXTURE_DIR });
    });
    after(() => scopedRegistry.close());
    beforeEach(() => scopedRegistry.resetStats());

    const nerfDart = (url: string) => `//${new URL(url).host}/:_authToken`;

    it('sends a scope to its own registry with that registry token, and never that token elsewhere', async () => {
      const { client } = testClient({
        registry: registry.url,
        scopes: { '@scope': scopedRegistry.url },
        npmOptions: { [nerfDart(scopedRegistry.url)]: 'scoped-secret' },
      });
      const results = await client.getHistories(['@scope/scoped-lib', 'example-lib'], { now: T0 });
      assert.deepStrictEqual([...results.values()].map((r) => r.status), ['ok', 'ok']);
      assert.deepStrictEqual(scopedRegistry.requests.map((r) => [r.url, r.headers.authorization]), [['/@scope%2fscoped-lib', 'Bearer scoped-secret']]);
      assert.deepStrictEqual(registry.requests.map((r) => [r.url, r.headers.authorization]), [['/example-lib', undefined]]);
    });

    it('reads the scope registry from npmOptions `@scope:registry` too', async () => {
      const { client } = testClient({ registry: registry.url, npmOptions: { '@scope:registry': scopedRegistry.url } });
      await client.getHistories(['@scope/scoped-lib'], { now: T0 });
      assert.deepStrictEqual([registry.requests.length, scopedRegistry.requests.length], [0, 1]);
    });

    it('gets past a registry that requires a token when the token is configured', async () => {
      registry.setBehaviour('example-lib', { requireAuthorization: 'Bearer s3cret' });
      const { result } = await fetchOne({ registry: registry.url, npmOptions: { [nerfDart(registry.url)]: 's3cret' } });
      assert.deepStrictEqual(result, ok);
    });

    it('is refused by that registry without the token (control), and the message carries no credentials', async () => {
      registry.setBehaviour('example-lib', { requireAuthorization: 'Bearer s3cret' });
      const withUserInfo = registry.url.replace('http://', 'http://user:hunter2@');
      const { result } = await fetchOne({ registry: withUserInfo });
      assert.deepStrictEqual(result, { status: 'unauthorized', message: `example-lib: ${host} refused access (HTTP 401); check the credentials for ${host} in .npmrc.` });
    });
  });

  describe('concurrency, progress and cancellation', () => {
    const names = Array.from({ length: 8 }, (_, i) => `pkg-${i}`);
    beforeEach(() => {
      for (const name of names) {
        registry.setDocument(name, { name, versions: { '1.0.0': { name, version: '1.0.0' } }, time: { '1.0.0': '2025-01-01T00:00:00.000Z' } });
        registry.setBehaviour(name, { delayMs: 100 });
      }
    });
    afterEach(() => names.forEach((name) => registry.setBehaviour(name, undefined)));

    it('keeps at most `concurrency` requests in flight', async () => {
      const { client } = testClient({ registry: registry.url, concurrency: 3 });
      const results = await client.getHistories(names, { now: T0 });
      assert.deepStrictEqual([...results.values()].map((r) => r.status), names.map(() => 'ok'));
      assert.deepStrictEqual([registry.requests.length, registry.maxInFlight], [8, 3]);
    });

    it('runs more requests at once when allowed (control)', async () => {
      const { client } = testClient({ registry: registry.url, concurrency: 8 });
      await client.getHistories(names, { now: T0 });
      assert.ok(registry.maxInFlight > 3, `max in flight ${registry.maxInFlight}`);
    });

    it('reports progress once per package', async () => {
      const { client } = testClient({ registry: registry.url });
      const seen: unknown[] = [];
      await client.getHistories(names.slice(0, 3), { now: T0, onProgress: (p) => seen.push(p) });
      assert.deepStrictEqual(seen, [0, 1, 2, 3].map((done) => ({ done, total: 3 })));
    });

    it('rejects with the abort reason and starts no queued request once the signal aborts', async () => {
      const { client } = testClient({ registry: registry.url, concurrency: 2 });
      const controller = new AbortController();
      void registry.received(2).then(() => controller.abort());
      await assert.rejects(client.getHistories(names, { now: T0, signal: controller.signal }), { name: 'AbortError' });
      await registry.settled();
      assert.deepStrictEqual(registry.requests.map((r) => r.status), [0, 0]);
    });
  });

  it('stops asking a host found unreachable during the same call', async () => {
    let calls = 0;
    const refused: RegistryFetch = async () => {
      calls++;
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    };
    const { client } = testClient({ registry: 'http://127.0.0.1:9/', concurrency: 1 }, { loadFetch: async () => refused });
    const results = await client.getHistories(['a', 'b', 'c'], { now: T0 });
    assert.deepStrictEqual([...results.values()].map((r) => r.status), ['offline', 'offline', 'offline']);
    assert.equal(calls, 1);
  });

  it('stops reading a document past 128 MB and reports it', async () => {
    const chunk = new Uint8Array(16 * 1024 * 1024); // the same view nine times: 144 MB read, 16 MB held
    const huge: RegistryFetch = async () => ({
      status: 200,
      headers: { get: () => null },
      body: (async function* () {
        for (let i = 0; i < 9; i++) yield chunk;
      })(),
    });
    const { client } = testClient({ registry: 'http://127.0.0.1:9/' }, { loadFetch: async () => huge });
    const results = await client.getHistories(['huge'], { now: T0 });
    assert.deepStrictEqual(results.get('huge'), {
      status: 'error',
      message: 'huge: 127.0.0.1:9 sent a packument larger than 128 MB, which was not read; check the registry setting.',
    });
  });

  it('reports a bug in one lookup as that package’s error and still answers the others', async () => {
    registry.setBehaviour('example-lib', { status: 500 });
    const { client } = testClient({ registry: registry.url }, { sleep: async () => Promise.reject(new Error('boom')) });
    const results = await client.getHistories(['example-lib', '@scope/scoped-lib'], { now: T0 });
    assert.deepStrictEqual(results.get('example-lib'), { status: 'error', message: 'example-lib: the registry lookup failed unexpectedly (boom); see the log.' });
    assert.equal(results.get('@scope/scoped-lib')?.status, 'ok');
  });
});
