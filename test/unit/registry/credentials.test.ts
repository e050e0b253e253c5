/**
 * From .npmrc to the wire: a credential reaches only the host, port and path prefix it is configured
 * for, also across redirects; proxies and CA files are honoured. Checked on the fixture registries'
 * and the loopback proxy's request logs.
 */

import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveRegistryConfig } from '../../../src/core/registry/registry-config';
import type { HistoryResult } from '../../../src/core/registry/types';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { startLoopbackProxy, type LoopbackProxy } from '../../support/loopback-proxy';
import { FIXTURE_DIR, makeTempDir, T0, testClient } from '../../support/registry-client-kit';

const TLS = join(__dirname, '..', '..', 'fixtures', 'tls');
const TOKEN_A = 'npm_TOKEN-FOR-REGISTRY-A-0123456789';

function messageOf(result: HistoryResult | undefined): string {
  return result === undefined || result.status === 'ok' ? '' : result.message;
}

describe('credentials, redirects, proxies and CA files on the wire', () => {
  let a: FixtureRegistry;
  let b: FixtureRegistry;
  let dir: string;
  let remove: () => Promise<void>;

  before(async () => {
    a = await startFixtureRegistry({ dir: FIXTURE_DIR, basePath: '/private/' });
    b = await startFixtureRegistry({ dir: FIXTURE_DIR });
  });
  after(async () => {
    await a.close();
    await b.close();
  });
  beforeEach(async () => {
    a.resetStats();
    b.resetStats();
    for (const r of [a, b]) r.setBehaviour('example-lib', undefined);
    ({ dir, remove } = await makeTempDir());
  });
  afterEach(() => remove());

  /** Audits `names` with the registry settings an .npmrc with `lines` gives. */
  async function lookUp(lines: readonly string[], names: readonly string[]): Promise<Map<string, HistoryResult>> {
    await writeFile(join(dir, 'user.npmrc'), lines.join('\n') + '\n');
    const config = await resolveRegistryConfig({ dir, env: { npm_config_userconfig: join(dir, 'user.npmrc') }, manager: 'npm', trustProject: false, home: dir });
    assert.deepStrictEqual(config.errors, []);
    const { client } = testClient({ registry: config.registry, scopes: config.scopes, npmOptions: config.npmOptions, retries: 0, timeoutMs: 5_000 });
    return client.getHistories(names, { now: T0 });
  }

  const auth = (registry: FixtureRegistry) => registry.requests.map((r) => [r.url, r.status, r.headers.authorization ?? null]);

  it('sends registry A’s token to A and never to registry B, which serves another scope (control pair)', async () => {
    const results = await lookUp([`registry=${a.url}`, `@scope:registry=${b.url}`, `//${a.host}/:_authToken=${TOKEN_A}`], ['example-lib', '@scope/scoped-lib']);
    assert.deepStrictEqual([...results.values()].map((r) => r.status), ['ok', 'ok']);
    assert.deepStrictEqual(auth(a), [['/example-lib', 200, `Bearer ${TOKEN_A}`]]);
    assert.deepStrictEqual(auth(b), [['/@scope%2fscoped-lib', 200, null]]);
  });

  it('drops the token when A redirects to B (another port of the same host), and B still answers', async () => {
    a.setBehaviour('example-lib', { redirectTo: `${b.url}example-lib` });
    const results = await lookUp([`registry=${a.url}`, `//${a.host}/:_authToken=${TOKEN_A}`], ['example-lib']);
    assert.equal(results.get('example-lib')?.status, 'ok');
    assert.deepStrictEqual(auth(a), [['/example-lib', 302, `Bearer ${TOKEN_A}`]]);
    assert.deepStrictEqual(auth(b), [['/example-lib', 200, null]]);
  });

  it('keeps the token on a redirect that stays inside the prefix it is configured for (control)', async () => {
    a.setBehaviour('example-lib', { redirectTo: '/private/example-lib', times: 1 });
    await lookUp([`registry=${a.url}`, `//${a.host}/:_authToken=${TOKEN_A}`], ['example-lib']);
    assert.deepStrictEqual(auth(a), [
      ['/example-lib', 302, `Bearer ${TOKEN_A}`],
      ['/private/example-lib', 200, `Bearer ${TOKEN_A}`],
    ]);
  });

  it('sends a token configured for a path only below that path, also after a redirect out of it', async () => {
    a.setBehaviour('example-lib', { redirectTo: `${a.url}example-lib`, times: 1 });
    await lookUp([`registry=${a.url}private/`, `//${a.host}/private/:_authToken=${TOKEN_A}`], ['example-lib', 'safe-lib']);
    assert.deepStrictEqual(
      auth(a).sort(),
      [
        ['/example-lib', 200, null],
        ['/private/example-lib', 302, `Bearer ${TOKEN_A}`],
        ['/private/safe-lib', 404, `Bearer ${TOKEN_A}`],
      ].sort(),
    );
  });

  it('refuses a redirect from https to plain http and says so without the token', async () => {
    const secure = await startFixtureRegistry({ dir: FIXTURE_DIR, tls: { key: await readFile(join(TLS, 'loopback.key')), cert: await readFile(join(TLS, 'loopback.crt')) } });
    try {
      secure.setBehaviour('example-lib', { redirectTo: `${b.url}example-lib` });
      const results = await lookUp([`registry=${secure.url}`, `cafile=${join(TLS, 'loopback.crt')}`, `//${secure.host}/:_authToken=${TOKEN_A}`], ['example-lib']);
      const result = results.get('example-lib');
      assert.equal(result?.status, 'error');
      assert.match(messageOf(result), /EREDIRECTDOWNGRADE/);
      assert.ok(!JSON.stringify(result).includes(TOKEN_A));
      assert.deepStrictEqual(b.requests, []);
    } finally {
      await secure.close();
    }
  });

  describe('proxies', () => {
    let proxy: LoopbackProxy;
    beforeEach(async () => {
      proxy = await startLoopbackProxy();
    });
    afterEach(() => proxy.close());

    it('routes plain-http registry requests through `proxy`', async () => {
      const results = await lookUp([`registry=${a.url}`, `proxy=${proxy.url}`], ['example-lib']);
      assert.equal(results.get('example-lib')?.status, 'ok');
      assert.deepStrictEqual(proxy.requests.map((r) => [r.method, r.target]), [['GET', `${a.url}example-lib`]]);
      assert.equal(a.requests.length, 1);
    });

    it('goes direct for hosts in `noproxy` (control)', async () => {
      await lookUp([`registry=${a.url}`, `proxy=${proxy.url}`, 'noproxy=127.0.0.1'], ['example-lib']);
      assert.deepStrictEqual(proxy.requests, []);
      assert.equal(a.requests.length, 1);
    });

    describe('https registry through a CONNECT tunnel', () => {
      let secure: FixtureRegistry;
      before(async () => {
        secure = await startFixtureRegistry({ dir: FIXTURE_DIR, tls: { key: await readFile(join(TLS, 'loopback.key')), cert: await readFile(join(TLS, 'loopback.crt')) } });
      });
      after(() => secure.close());

      it('tunnels with `https-proxy` and trusts the registry through `cafile`; the token stays inside TLS', async () => {
        const results = await lookUp(
          [`registry=${secure.url}`, `https-proxy=${proxy.url}`, `cafile=${join(TLS, 'loopback.crt')}`, `//${secure.host}/:_authToken=${TOKEN_A}`],
          ['example-lib'],
        );
        assert.equal(results.get('example-lib')?.status, 'ok');
        assert.deepStrictEqual(proxy.requests.map((r) => [r.method, r.target]), [['CONNECT', secure.host]]);
        assert.ok(!JSON.stringify(proxy.requests).includes(TOKEN_A), 'the proxy never sees the token');
        assert.equal(secure.requests.at(-1)?.headers.authorization, `Bearer ${TOKEN_A}`);
      });

      it('fails the TLS check when the CA file holds another certificate (control)', async () => {
        const results = await lookUp([`registry=${secure.url}`, `https-proxy=${proxy.url}`, `cafile=${join(TLS, 'other.crt')}`], ['example-lib']);
        assert.equal(results.get('example-lib')?.status, 'error');
      });

      it('fails the TLS check without the CA file (control), and passes with strict-ssl=false', async () => {
        const refused = await lookUp([`registry=${secure.url}`, `https-proxy=${proxy.url}`], ['example-lib']);
        const result = refused.get('example-lib');
        assert.equal(result?.status, 'error');
        assert.match(messageOf(result), /SELF_SIGNED|self[- ]signed/i);
        const relaxed = await lookUp([`registry=${secure.url}`, `https-proxy=${proxy.url}`, 'strict-ssl=false'], ['example-lib']);
        assert.equal(relaxed.get('example-lib')?.status, 'ok');
      });
    });
  });
});
