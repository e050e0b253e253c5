/**
 * A configured credential never leaves through what we print or store: CLI text/JSON/SARIF output,
 * stderr, error messages, client log lines and cache files, under every kind of registry failure.
 * Control: the registry's own request log shows the credential was really configured and sent.
 */

import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../../src/cli/main';
import { auditProject } from '../../../src/core/audit';
import { createRegistryClient } from '../../../src/core/registry/client';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { FIXTURE_DIR, makeTempDir, T0 } from '../../support/registry-client-kit';

const TOKEN = 'npm_LeakCanaryToken0123456789abcdef';
const PASSWORD = 'Leak-Canary-Password-42';
const USERINFO = 'Leak-Canary-UserInfo-77';

/** Every form a credential could take in text: as configured, base64 (Basic auth, `_password`), URL-encoded. */
const FORMS = [TOKEN, PASSWORD, USERINFO, Buffer.from(PASSWORD).toString('base64'), Buffer.from(`bob:${PASSWORD}`).toString('base64'), encodeURIComponent(USERINFO)];

function assertNoCredential(where: string, text: string): void {
  for (const form of FORMS) assert.ok(!text.includes(form), `${where} contains a credential (${form.slice(0, 8)}…):\n${text.slice(0, 2000)}`);
}

describe('credentials never appear in output, logs, errors or the cache', () => {
  let registry: FixtureRegistry;
  let basic: FixtureRegistry;
  let dir: string;
  let remove: () => Promise<void>;
  const names = ['example-lib', '@scope/scoped-lib', 'refused-lib', 'flaky-lib', 'broken-lib', 'reset-lib', 'gone-lib', 'moved-lib'];

  before(async () => {
    registry = await startFixtureRegistry({ dir: FIXTURE_DIR });
    basic = await startFixtureRegistry({ dir: FIXTURE_DIR });
    const doc = JSON.parse(await readFile(join(FIXTURE_DIR, 'example-lib.json'), 'utf8')) as Record<string, unknown>;
    for (const name of ['refused-lib', 'flaky-lib', 'broken-lib', 'reset-lib', 'moved-lib']) registry.setDocument(name, { ...doc, name });
    registry.setBehaviour('refused-lib', { requireAuthorization: 'Bearer some-other-token' });
    registry.setBehaviour('flaky-lib', { status: 503, retryAfter: '0' });
    registry.setBehaviour('broken-lib', { body: 'invalid-json' });
    registry.setBehaviour('moved-lib', { redirectTo: 'http://127.0.0.1:9/moved-lib' });
  });
  after(async () => {
    await registry.close();
    await basic.close();
  });
  beforeEach(async () => {
    ({ dir, remove } = await makeTempDir());
    registry.resetStats();
    basic.resetStats();
    await mkdir(join(dir, 'project'));
    const dependencies = Object.fromEntries(names.map((n) => [n, n === '@scope/scoped-lib' ? '1.0.1' : '1.0.0']));
    await writeFile(join(dir, 'project', 'package.json'), JSON.stringify({ name: 'leak-check', version: '1.0.0', dependencies }, null, 2));
    await writeFile(
      join(dir, 'npmrc'),
      [
        `registry=${registry.url}`,
        `//${registry.host}/:_authToken=${TOKEN}`,
        `@scope:registry=http://${USERINFO}:${USERINFO}@${basic.host}/`,
        `//${basic.host}/:username=bob`,
        `//${basic.host}/:_password=${Buffer.from(PASSWORD).toString('base64')}`,
      ].join('\n'),
    );
  });
  afterEach(() => remove());

  const env = () => ({ npm_config_userconfig: join(dir, 'npmrc'), DEPENDENCY_RISK_CACHE_DIR: join(dir, 'cache'), HOME: dir });

  async function cli(format: string): Promise<{ stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    await run(['audit', join(dir, 'project'), '--format', format, '--now', T0.toISOString(), '--fix'], {
      stdout: (t: string) => (stdout += t),
      stderr: (t: string) => (stderr += t),
      env: env(),
      cwd: dir,
      platform: 'linux',
      homedir: dir,
    });
    return { stdout, stderr };
  }

  for (const format of ['text', 'json', 'sarif']) {
    it(`keeps them out of the ${format} report and stderr`, async () => {
      const { stdout, stderr } = await cli(format);
      assert.ok(stdout.length > 0);
      assertNoCredential(`${format} stdout`, stdout);
      assertNoCredential(`${format} stderr`, stderr);
    });
  }

  it('keeps them out of cache files, client log lines and lookup messages, for every failure kind', async () => {
    const log: string[] = [];
    // A dropped connection is retried with backoff; here the retries wait no real time.
    registry.setBehaviour('reset-lib', { reset: true });
    const report = await auditProject(
      { dir: join(dir, 'project'), now: T0, env: env(), cacheDir: join(dir, 'cache'), trustProject: true },
      {
        createSource: (resolved) =>
          createRegistryClient({ ...resolved, cacheDir: join(dir, 'cache'), retries: 1, timeoutMs: 5_000 }, { log: (m) => log.push(m), sleep: async () => undefined }),
      },
    ).finally(() => registry.setBehaviour('reset-lib', undefined));
    // The failure kinds really happened, so their messages were exercised.
    assert.deepStrictEqual(
      report.errors.map((e) => [e.package, e.kind]).sort(),
      [
        ['broken-lib', 'error'],
        ['flaky-lib', 'error'],
        ['gone-lib', 'not-found'],
        ['moved-lib', 'error'],
        ['refused-lib', 'unauthorized'],
        ['reset-lib', 'error'],
      ],
    );
    assertNoCredential('report', JSON.stringify(report));
    assertNoCredential('log', log.join('\n'));
    const cacheFiles = await readdir(join(dir, 'cache'));
    assert.ok(cacheFiles.length >= 2, 'histories were cached');
    for (const file of cacheFiles) assertNoCredential(`cache file ${file}`, await readFile(join(dir, 'cache', file), 'utf8'));

    // Control: the credentials were configured and sent, each to its own registry only.
    assert.ok(registry.requests.some((r) => r.headers.authorization === `Bearer ${TOKEN}`));
    assert.deepStrictEqual(
      basic.requests.map((r) => r.headers.authorization),
      [`Basic ${Buffer.from(`bob:${PASSWORD}`).toString('base64')}`],
    );
  });
});
