/** The fixture registry itself: paths, ETag/304, gzip, failures, runtime documents and the request log. */

import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { FIXTURE_DIR, readPackument } from '../../support/registry-client-kit';

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('fixture registry', () => {
  let registry: FixtureRegistry;
  before(async () => {
    registry = await startFixtureRegistry({ dir: FIXTURE_DIR });
  });
  after(() => registry.close());
  beforeEach(() => registry.resetStats());

  it('listens on 127.0.0.1', () => assert.match(registry.url, /^http:\/\/127\.0\.0\.1:\d+\/$/));

  it('serves a scoped packument at /@scope%2fname and /@scope/name from @scope__name.json', async () => {
    const expected = readPackument('@scope/scoped-lib');
    for (const path of ['@scope%2fscoped-lib', '@scope%2Fscoped-lib', '@scope/scoped-lib']) {
      const answer = await get(registry.url + path);
      assert.deepStrictEqual([answer.status, JSON.parse(answer.body.toString('utf8'))], [200, expected]);
    }
  });

  it('answers 304 to a matching If-None-Match (strong or weak) and 200 otherwise', async () => {
    const etag = await registry.etag('example-lib');
    assert.ok(etag !== undefined);
    const statuses = [];
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*', '"other"']) {
      statuses.push((await get(`${registry.url}example-lib`, { 'if-none-match': header })).status);
    }
    assert.deepStrictEqual(statuses, [304, 304, 304, 304, 200]);
  });

  it('gzips only when Accept-Encoding allows it', async () => {
    const zipped = await get(`${registry.url}example-lib`, { 'accept-encoding': 'gzip, deflate' });
    const refused = await get(`${registry.url}example-lib`, { 'accept-encoding': 'gzip;q=0, identity' });
    const plain = await get(`${registry.url}example-lib`);
    assert.deepStrictEqual(
      [zipped.headers['content-encoding'], refused.headers['content-encoding'], plain.headers['content-encoding']],
      ['gzip', undefined, undefined],
    );
    assert.deepStrictEqual(JSON.parse(gunzipSync(zipped.body).toString('utf8')), readPackument('example-lib'));
    assert.deepStrictEqual(registry.requests.map((r) => r.encoding), ['gzip', 'identity', 'identity']);
  });

  it('answers 404 for unknown names and for paths that try to leave the folder', async () => {
    for (const path of ['no-such-package', '..%2fregistry-client%2fexample-lib', '%2e%2e/%2e%2e/package.json', '@scope%2f..%2f..%2fexample-lib']) {
      assert.equal((await get(registry.url + path)).status, 404, path);
    }
  });

  it('serves documents set at runtime, changes their ETag, and can remove them', async () => {
    registry.setDocument('runtime-lib', { name: 'runtime-lib', versions: {} });
    const first = await registry.etag('runtime-lib');
    registry.setDocument('runtime-lib', { name: 'runtime-lib', versions: { '1.0.0': {} } });
    assert.notEqual(await registry.etag('runtime-lib'), first);
    assert.equal((await get(`${registry.url}runtime-lib`)).status, 200);
    registry.setDocument('runtime-lib', undefined);
    assert.equal((await get(`${registry.url}runtime-lib`)).status, 404);
  });

  it('fails the first N requests with the configured status and Retry-After, then serves', async () => {
    registry.setBehaviour('example-lib', { status: 503, retryAfter: '2', times: 2 });
    const answers = [await get(`${registry.url}example-lib`), await get(`${registry.url}example-lib`), await get(`${registry.url}example-lib`)];
    registry.setBehaviour('example-lib', undefined);
    assert.deepStrictEqual(answers.map((a) => [a.status, a.headers['retry-after']]), [[503, '2'], [503, '2'], [200, undefined]]);
  });

  it('logs method, url, headers including authorization, and status', async () => {
    await get(`${registry.url}example-lib`, { authorization: 'Bearer t0ken' });
    assert.deepStrictEqual(
      registry.requests.map((r) => [r.method, r.url, r.name, r.headers.authorization, r.status]),
      [['GET', '/example-lib', 'example-lib', 'Bearer t0ken', 200]],
    );
  });

  it('serves a tarball set at runtime at npm’s tarball path', async () => {
    registry.setTarball('@scope/scoped-lib', '1.0.0', Buffer.from('tgz bytes'));
    const answer = await get(`${registry.url}@scope/scoped-lib/-/scoped-lib-1.0.0.tgz`);
    assert.deepStrictEqual([answer.status, answer.body.toString('utf8')], [200, 'tgz bytes']);
  });

  it('redirects with the configured status and Location, and logs the redirect', async () => {
    registry.setBehaviour('example-lib', { redirectTo: '/elsewhere/example-lib', redirectStatus: 307, times: 1 });
    const first = await get(`${registry.url}example-lib`);
    assert.deepStrictEqual([first.status, first.headers.location], [307, '/elsewhere/example-lib']);
    assert.equal((await get(`${registry.url}example-lib`)).status, 200);
    assert.deepStrictEqual(registry.requests.map((r) => r.status), [307, 200]);
  });
});

describe('fixture registry: base path and HTTPS', () => {
  it('serves packuments below `basePath` as well as at the root', async () => {
    const registry = await startFixtureRegistry({ dir: FIXTURE_DIR, basePath: '/npm/private/' });
    try {
      for (const path of ['npm/private/example-lib', 'example-lib', 'npm/private/@scope%2fscoped-lib']) {
        assert.equal((await get(`${registry.url}${path}`)).status, 200, path);
      }
      assert.equal((await get(`${registry.url}npm/example-lib`)).status, 404);
    } finally {
      await registry.close();
    }
  });

  it('serves HTTPS with the given certificate', async () => {
    const { readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const https = await import('node:https');
    const tls = join(__dirname, '..', '..', 'fixtures', 'tls');
    const cert = await readFile(join(tls, 'loopback.crt'));
    const registry = await startFixtureRegistry({ dir: FIXTURE_DIR, tls: { key: await readFile(join(tls, 'loopback.key')), cert } });
    try {
      assert.match(registry.url, /^https:\/\/127\.0\.0\.1:\d+\/$/);
      const status = await new Promise<number>((resolve, reject) => {
        https.get(`${registry.url}example-lib`, { ca: cert }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject);
      });
      assert.equal(status, 200);
    } finally {
      await registry.close();
    }
  });
});
