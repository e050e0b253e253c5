/** The registry client and the audit against a registry that misbehaves (issue 7): content types, huge bodies, drips, redirects; the cache survives all of it. */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { auditProject } from '../../../src/core/audit';
import { HistoryCache, CACHE_FORMAT_VERSION, type CacheEntry } from '../../../src/core/registry/cache';
import { createRegistryClient } from '../../../src/core/registry/client';
import type { HistoryResult } from '../../../src/core/registry/types';
import type { AuditReport } from '../../../src/core/types';
import { startHostileRegistry, type HostileFault, type HostileRegistry } from '../../support/hostile-registry';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { at, FIXTURE_DIR, historyOf, makeTempDir, T0, testClient } from '../../support/registry-client-kit';

const PACKUMENTS = join(__dirname, '..', '..', 'fixtures', 'packuments');
const packument = (name: string): unknown => JSON.parse(readFileSync(join(PACKUMENTS, `${name}.json`), 'utf8'));
const MB = 1024 * 1024;

describe('registry client: a hostile registry (issue 7)', () => {
  let registry: HostileRegistry;
  let host: string;
  let cacheDir: string;
  let removeCacheDir: () => Promise<void>;
  const safeLib: HistoryResult = { status: 'ok', history: historyOf('safe-lib', packument('safe-lib')), from: 'network', fetchedAt: T0.toISOString(), stale: false };

  before(async () => {
    registry = await startHostileRegistry();
    host = new URL(registry.url).host;
  });
  after(() => registry.close());
  beforeEach(async () => {
    ({ dir: cacheDir, remove: removeCacheDir } = await makeTempDir());
    registry.requests.length = 0;
  });
  afterEach(async () => {
    registry.setFault('safe-lib', undefined);
    await registry.settled();
    await removeCacheDir();
  });

  const fetchSafeLib = async (fault: HostileFault, options: { timeoutMs?: number; retries?: number } = {}) => {
    registry.setFault('safe-lib', fault);
    const { client, sleeps } = testClient({ registry: registry.url, cacheDir, ...options });
    const start = performance.now();
    const result = (await client.getHistories(['safe-lib'], { now: T0 })).get('safe-lib');
    const ms = performance.now() - start;
    await registry.settled();
    return { result, sleeps: sleeps.delays, ms, sent: registry.requests.map((r) => r.bytesSent) };
  };

  describe('content type', () => {
    it('reports an HTML page instead of a packument (a proxy login) as an unusable packument, and caches nothing', async () => {
      const { result } = await fetchSafeLib({ kind: 'html' });
      assert.equal(result?.status, 'error');
      assert.match(result?.status === 'error' ? result.message : '', new RegExp(`^safe-lib: ${host.replace('.', '\\.')} sent an unusable packument \\(not valid JSON: .+\\); try again later\\.$`));
      assert.deepStrictEqual(await readdir(cacheDir), []);
    });

    for (const contentType of ['text/plain', 'application/octet-stream', 'application/vnd.npm.install-v1+json']) {
      it(`reads a real packument labelled ${contentType} (mirrors do that; control)`, async () => {
        assert.deepStrictEqual((await fetchSafeLib({ kind: 'mislabelled', contentType })).result, safeLib);
      });
    }
  });

  describe('size cap', () => {
    it('refuses a declared 200 MB body without reading it', async () => {
      const { result, sent, ms } = await fetchSafeLib({ kind: 'huge', megabytes: 200, declareLength: true });
      assert.deepStrictEqual(result, { status: 'error', message: `safe-lib: ${host} sent a packument larger than 128 MB, which was not read; check the registry setting.` });
      assert.ok((sent[0] ?? Infinity) < 32 * MB, `${sent[0]} bytes were sent`); // socket buffers only; reading to the cap sends 128 MB
      assert.ok(ms < 5000, `${Math.round(ms)} ms`);
    });

    it('stops reading an undeclared (chunked) 200 MB body at the cap', async () => {
      const { result, sent } = await fetchSafeLib({ kind: 'huge', megabytes: 200, declareLength: false });
      assert.equal(result?.status === 'error' && result.message, `safe-lib: ${host} sent a packument larger than 128 MB, which was not read; check the registry setting.`);
      assert.ok((sent[0] ?? Infinity) < 160 * MB, `${sent[0]} bytes were sent`);
    });

    it('stops inflating a gzip bomb (200 MB from a few hundred kilobytes) at the cap', async () => {
      const { result, sent } = await fetchSafeLib({ kind: 'huge', megabytes: 200, declareLength: false, gzip: true });
      assert.equal(result?.status === 'error' && result.message, `safe-lib: ${host} sent a packument larger than 128 MB, which was not read; check the registry setting.`);
      assert.ok((sent[0] ?? Infinity) < 1 * MB, `${sent[0]} bytes on the wire`);
    });
  });

  describe('slow drip', () => {
    it('gives up on a body that drips one byte at a time once the timeout passes, and says so', async () => {
      const { result, ms } = await fetchSafeLib({ kind: 'drip', intervalMs: 20 }, { timeoutMs: 300, retries: 0 });
      assert.deepStrictEqual(result, { status: 'timeout', message: `safe-lib: ${host} did not answer within 0.3 s (1 attempt); check the network, or raise the timeout.` });
      assert.ok(ms >= 290 && ms < 2000, `${Math.round(ms)} ms`);
    });

    it('bounds the whole lookup by the timeout per attempt, retries included', async () => {
      const { result, sleeps, ms } = await fetchSafeLib({ kind: 'drip', intervalMs: 20 }, { timeoutMs: 200, retries: 2 });
      assert.equal(result?.status, 'timeout');
      assert.deepStrictEqual(sleeps, [500, 1000]);
      assert.ok(ms < 3 * 200 + 1500, `${Math.round(ms)} ms`);
    });
  });

  describe('redirects', () => {
    for (const status of [301, 302, 307, 308]) {
      it(`follows a ${status} to another path of the registry`, async () => {
        registry.setFault('moved', { kind: 'redirect', status, location: '/safe-lib' });
        registry.setFault('safe-lib', undefined);
        const { client } = testClient({ registry: registry.url, cacheDir });
        const result = (await client.getHistories(['moved'], { now: T0 })).get('moved');
        // The document is safe-lib's: a redirect cannot pass another package's history off as this one's.
        assert.deepStrictEqual(result, { status: 'error', message: `moved: ${host} sent an unusable packument (the document is for "safe-lib", not moved); try again later.` });
        assert.deepStrictEqual(registry.requests.map((r) => r.url), ['/moved', '/safe-lib']);
        registry.setFault('moved', undefined);
      });
    }

    it('follows a redirect to another registry host, and sends the registry token only to its own host', async () => {
      const elsewhere = await startHostileRegistry();
      try {
        registry.setFault('safe-lib', { kind: 'redirect', status: 302, location: `${elsewhere.url}safe-lib` });
        const { client } = testClient({ registry: registry.url, cacheDir, npmOptions: { [`//${host}/:_authToken`]: 's3cret' } });
        assert.deepStrictEqual((await client.getHistories(['safe-lib'], { now: T0 })).get('safe-lib'), safeLib);
        assert.deepStrictEqual(
          [...registry.requests, ...elsewhere.requests].map((r) => [r.host, r.authorization]),
          [
            [host, 'Bearer s3cret'],
            [new URL(elsewhere.url).host, undefined],
          ],
        );
      } finally {
        await elsewhere.close();
      }
    });

    it('reports a redirect loop once, without retrying it', async () => {
      const { result, sleeps } = await fetchSafeLib({ kind: 'redirect', status: 302, location: '/safe-lib' });
      assert.equal(result?.status, 'error');
      assert.match(result?.status === 'error' ? result.message : '', /^safe-lib: the connection to 127\.0\.0\.1:\d+ failed \(EMAXREDIRECT: .+\) after 1 attempt; try again later\.$/);
      assert.deepStrictEqual(sleeps, []);
    });
  });

  describe('the cache survives every fault', () => {
    const faults: Array<[string, HostileFault, { timeoutMs?: number; retries?: number }]> = [
      ['an HTML page', { kind: 'html' }, {}],
      ['a 200 MB body', { kind: 'huge', megabytes: 200, declareLength: true }, {}],
      ['a drip past the timeout', { kind: 'drip', intervalMs: 20 }, { timeoutMs: 200, retries: 0 }],
      ['a redirect loop', { kind: 'redirect', status: 302, location: '/safe-lib' }, {}],
    ];
    for (const [what, fault, options] of faults) {
      it(`keeps the cached history byte for byte and serves it, marked stale, after ${what}`, async () => {
        const file = join(cacheDir, HistoryCache.fileName('safe-lib'));
        await testClient({ registry: registry.url, cacheDir }).client.getHistories(['safe-lib'], { now: T0 });
        const stored = await readFile(file, 'utf8');
        registry.setFault('safe-lib', fault);
        const { client } = testClient({ registry: registry.url, cacheDir, ...options });
        const result = (await client.getHistories(['safe-lib'], { now: at(10) })).get('safe-lib');
        assert.deepStrictEqual(result?.status === 'ok' && [result.history, result.stale, result.fetchedAt], [safeLib.status === 'ok' && safeLib.history, true, T0.toISOString()]);
        assert.equal(await readFile(file, 'utf8'), stored);
        assert.deepStrictEqual(await readdir(cacheDir), [HistoryCache.fileName('safe-lib')], 'no temporary file left behind');
      });
    }
  });
});

describe('registry client: every 5xx is retried, then reported per package (issue 7)', () => {
  let registry: FixtureRegistry;
  before(async () => {
    registry = await startFixtureRegistry({ dir: FIXTURE_DIR });
  });
  after(() => registry.close());

  for (const status of [500, 502, 503, 504]) {
    it(`retries a ${status} and reports it after the last attempt, while the next package is answered`, async () => {
      registry.setBehaviour('example-lib', { status });
      const { client, sleeps } = testClient({ registry: registry.url, retries: 1 });
      const results = await client.getHistories(['example-lib', '@scope/scoped-lib'], { now: T0 });
      assert.deepStrictEqual(results.get('example-lib'), { status: 'error', message: `example-lib: ${new URL(registry.url).host} answered HTTP ${status} after 2 attempts; try again later.` });
      assert.equal(results.get('@scope/scoped-lib')?.status, 'ok');
      assert.deepStrictEqual(sleeps.delays, [500]);
      registry.setBehaviour('example-lib', undefined);
    });
  }
});

describe('history cache: concurrent writers and readers (issue 7)', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await makeTempDir()));
  afterEach(() => remove());

  it('never lets a reader see a half-written entry, however writes and reads interleave', async () => {
    const history = historyOf('safe-lib', packument('safe-lib'));
    const entry = (etag: string): CacheEntry => ({ formatVersion: CACHE_FORMAT_VERSION, name: 'safe-lib', registry: 'https://r.example/', etag, fetchedAt: T0.toISOString(), history });
    await new HistoryCache({ dir }).set(entry('"first"'));
    const seen = new Set<string>();
    const misses: string[] = [];
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        // Writers are separate instances, as the CLI and the editor are; readers too (no memory layer).
        if (i % 2 === 0) return new HistoryCache({ dir }).set(entry(`"w${i}"`));
        const read = await new HistoryCache({ dir, log: (m) => misses.push(m) }).get('safe-lib', 'https://r.example/');
        seen.add(read?.etag ?? 'miss');
      }),
    );
    assert.deepStrictEqual([misses, seen.has('miss')], [[], false]);
    assert.deepStrictEqual(await readdir(dir), [HistoryCache.fileName('safe-lib')]);
  });
});

describe('audit: one hostile package among good ones (issue 7)', () => {
  let registry: HostileRegistry;
  let dir: string;
  let remove: () => Promise<void>;
  const NOW = new Date('2025-10-05T12:00:00.000Z');
  const GOOD = { 'evil-patch': '4.1.2', 'safe-lib': '^1.0.0', 'new-publisher': '2.1.1', 'old-deprecated': '1.0.0' };

  before(async () => {
    registry = await startHostileRegistry();
  });
  after(() => registry.close());
  beforeEach(async () => ({ dir, remove } = await makeTempDir()));
  afterEach(async () => {
    registry.setFault('bad-pkg', undefined);
    await registry.settled();
    await remove();
  });

  async function audit(dependencies: Record<string, string>): Promise<AuditReport> {
    const project = join(dir, 'project');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies }));
    return auditProject(
      { dir: project, now: NOW, registry: registry.url, env: { npm_config_userconfig: join(dir, 'none'), HOME: dir } },
      { createSource: (resolved) => createRegistryClient({ ...resolved, cacheDir: join(dir, 'cache'), timeoutMs: 300, retries: 0 }) },
    );
  }

  const faults: Array<[string, HostileFault | undefined, string, RegExp]> = [
    ['missing from the registry (404)', undefined, 'not-found', /^bad-pkg was not found on 127\.0\.0\.1:\d+: a typo, a removed package, or a private package needing credentials\.$/],
    ['an HTML page', { kind: 'html' }, 'error', /^bad-pkg: 127\.0\.0\.1:\d+ sent an unusable packument \(not valid JSON: .+\); try again later\.$/],
    ['a 200 MB packument', { kind: 'huge', megabytes: 200, declareLength: true }, 'error', /^bad-pkg: 127\.0\.0\.1:\d+ sent a packument larger than 128 MB, which was not read; check the registry setting\.$/],
    ['a slow drip', { kind: 'drip', intervalMs: 20 }, 'timeout', /^bad-pkg: 127\.0\.0\.1:\d+ did not answer within 0\.3 s \(1 attempt\); check the network, or raise the timeout\.$/],
    ['a redirect loop', { kind: 'redirect', status: 302, location: '/bad-pkg' }, 'error', /^bad-pkg: the connection to 127\.0\.0\.1:\d+ failed \(EMAXREDIRECT: .+\) after 1 attempt; try again later\.$/],
  ];

  for (const [what, fault, kind, message] of faults) {
    it(`audits every other package when one is ${what}, and names that one in a clear error`, async () => {
      const control = await audit(GOOD);
      registry.setFault('bad-pkg', fault);
      const report = await audit({ ...GOOD, 'bad-pkg': '^1.0.0' });
      const strip = (r: AuditReport) => r.findings.map((f) => [f.rule, f.package, f.version, f.severity, f.message]);
      assert.deepStrictEqual(strip(report), strip(control));
      assert.ok(control.findings.length > 0, 'control: the good packages have findings');
      assert.deepStrictEqual(report.errors.map((e) => [e.kind, e.package, e.location?.file]), [[kind, 'bad-pkg', 'package.json']]);
      assert.match(report.errors[0]?.message ?? '', message);
      assert.deepStrictEqual(report.packages.filter((p) => !p.checked).map((p) => p.name), ['bad-pkg']);
    });
  }
});
