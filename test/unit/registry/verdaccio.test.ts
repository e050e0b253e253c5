/**
 * Against a real registry server: Verdaccio on 127.0.0.1 (htpasswd auth, no uplinks, `@corp/*` only
 * with a token). Real packages are published with the real npm client by two users, npm writes the
 * project's lockfile through the project's .npmrc, and the CLI audits it through the same .npmrc.
 * Verdaccio is installed by `npm run test:registry:setup` (.ci/run does it); without it the suite
 * is skipped locally, and fails when CI or DR_REQUIRE_VERDACCIO is set.
 */

import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../../src/cli/main';
import { buildHistory } from '../../../src/core/history';
import type { AuditReport } from '../../../src/core/types';
import { makeTempDir } from '../../support/registry-client-kit';
import { runNpm, startVerdaccio, verdaccioModule, type Verdaccio } from '../../support/verdaccio/verdaccio';

describe('against Verdaccio, with packages published by the real npm client', function () {
  this.timeout(90_000);
  let verdaccio: Verdaccio;
  let dir: string;
  let remove: () => Promise<void>;
  let tokens: { alice: string; bob: string };
  /** When 1.0.1 was published, as Verdaccio recorded it. */
  let published: Date;
  const timings: string[] = [];

  before(async function () {
    const module = verdaccioModule();
    if (module === undefined) {
      if (process.env.CI || process.env.DR_REQUIRE_VERDACCIO) throw new Error('Verdaccio is not installed: run `npm run test:registry:setup` before `npm test`.');
      this.skip();
    }
    ({ dir, remove } = await makeTempDir());
    verdaccio = await startVerdaccio(module, join(dir, 'verdaccio'));
    timings.push(`Verdaccio listening after ${verdaccio.startMs} ms`);
    tokens = { alice: await verdaccio.addUser('alice', 'alice-password-1'), bob: await verdaccio.addUser('bob', 'bob-password-2') };
    for (const user of ['alice', 'bob'] as const) {
      await writeFile(join(dir, `${user}.npmrc`), `//${verdaccio.host}/:_authToken=${tokens[user]}\n`);
    }

    // 1.0.0 by alice: no install script. 1.0.1 by bob: adds a postinstall.
    const pkg = join(dir, 'widget');
    await mkdir(pkg);
    await writeFile(join(pkg, 'index.js'), 'module.exports = 42;\n');
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: '@corp/widget', version: '1.0.0', main: 'index.js', license: 'MIT' }));
    const first = await runNpm(['publish', '--registry', verdaccio.url], { cwd: pkg, home: dir, userconfig: join(dir, 'alice.npmrc') });
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: '@corp/widget', version: '1.0.1', main: 'index.js', license: 'MIT', scripts: { postinstall: 'node -e "1"' } }));
    const second = await runNpm(['publish', '--registry', verdaccio.url], { cwd: pkg, home: dir, userconfig: join(dir, 'bob.npmrc') });
    timings.push(`npm publish: ${first.ms} ms and ${second.ms} ms`);

    const doc = (await (await fetch(`${verdaccio.url}@corp%2fwidget`, { headers: { authorization: `Bearer ${tokens.alice}`, accept: 'application/json' } })).json()) as { time: Record<string, string> };
    published = new Date(doc.time['1.0.1']!);
  });

  after(async () => {
    // DR_VERDACCIO_TIMINGS=1 prints where the suite's time goes (on stderr, so reporters' output stays clean).
    if (process.env.DR_VERDACCIO_TIMINGS && timings.length > 0) process.stderr.write(`      (${timings.join('; ')})\n`);
    await verdaccio?.close();
    await remove?.();
  });

  /** A project depending on @corp/widget@1.0.1, its .npmrc pointing the scope at Verdaccio; npm writes its lockfile. */
  async function project(name: string, npmrc: string): Promise<string> {
    const folder = join(dir, name);
    await mkdir(folder);
    await writeFile(join(folder, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, dependencies: { '@corp/widget': '1.0.1' } }, null, 2));
    await writeFile(join(folder, '.npmrc'), npmrc);
    return folder;
  }

  async function audit(folder: string): Promise<AuditReport> {
    let stdout = '';
    let stderr = '';
    // An hour after 1.0.1 was published: reproducible against Verdaccio's own clock.
    const now = new Date(published.getTime() + 3600_000).toISOString();
    await run(['audit', folder, '--format', 'json', '--now', now], {
      stdout: (t: string) => (stdout += t),
      stderr: (t: string) => (stderr += t),
      env: { HOME: dir, npm_config_userconfig: join(dir, 'no-user-npmrc'), DEPENDENCY_RISK_CACHE_DIR: join(folder, '.cache'), CORP_TOKEN: tokens.alice },
      cwd: dir,
      platform: 'linux',
      homedir: dir,
    });
    assert.ok(stdout.startsWith('{'), `not JSON: ${stdout}\n${stderr}`);
    return JSON.parse(stdout) as AuditReport;
  }

  it('audits the scope through the project’s .npmrc token: install-script-added and fresh-release on 1.0.1', async () => {
    const folder = await project('app', `@corp:registry=${verdaccio.url}\n//${verdaccio.host}/:_authToken=\${CORP_TOKEN}\n`);
    const started = Date.now();
    await runNpm(['install', '--package-lock-only', '--ignore-scripts'], { cwd: folder, home: dir, userconfig: join(dir, 'no-user-npmrc'), env: { CORP_TOKEN: tokens.alice } });
    timings.push(`npm install --package-lock-only: ${Date.now() - started} ms`);
    const lock = JSON.parse(await readFile(join(folder, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };
    assert.deepStrictEqual(lock.packages['node_modules/@corp/widget']?.version, '1.0.1');

    const report = await audit(folder);
    assert.deepStrictEqual(report.errors, []);
    assert.deepStrictEqual(
      report.findings.map((f) => ({ ...f, location: `${f.location?.file}:${f.location?.line}`, lockfileLocation: f.lockfileLocation?.file })),
      [
        {
          rule: 'fresh-release',
          severity: 'warning',
          package: '@corp/widget',
          version: '1.0.1',
          message:
            '@corp/widget@1.0.1 was published 1 h ago (policy: 7 days). Wait until it is 7 days old or stay on the version you had: hijacked releases are usually found and removed within days.',
          evidence: { ageHours: 1, policyDays: 7, publishedAt: published.toISOString() },
          location: 'package.json:6',
          lockfileLocation: 'package-lock.json',
        },
        {
          rule: 'install-script-added',
          severity: 'error',
          package: '@corp/widget',
          version: '1.0.1',
          message:
            '@corp/widget@1.0.1 adds a postinstall script ("node -e \\"1\\"") that 1.0.0 did not have, in a patch release. npm runs it on every install, which is how most hijacked releases steal credentials: read the script before installing, or stay on 1.0.0.',
          evidence: { hooks: ['postinstall'], postinstall: 'node -e "1"', previousVersion: '1.0.0' },
          location: 'package.json:6',
          lockfileLocation: 'package-lock.json',
        },
      ],
    );
    assert.ok(!JSON.stringify(report).includes(tokens.alice), 'the token is not in the report');
  });

  it('records no publisher: Verdaccio keeps neither _npmUser nor maintainers, so publisher-changed stays quiet (unknown is not a change)', async () => {
    const response = await fetch(`${verdaccio.url}@corp%2fwidget`, { headers: { authorization: `Bearer ${tokens.bob}`, accept: 'application/json' } });
    const doc = (await response.json()) as { versions: Record<string, Record<string, unknown>>; maintainers?: unknown };
    assert.deepStrictEqual(
      Object.values(doc.versions).map((v) => [v['version'], v['_npmUser'] ?? null, v['maintainers'] ?? null]),
      [
        ['1.0.0', null, null],
        ['1.0.1', null, null],
      ],
    );
    assert.equal(doc.maintainers, undefined);
    const built = buildHistory('@corp/widget', doc);
    assert.ok(built.ok);
    assert.deepStrictEqual([built.history.hasPublisherData, built.history.hasMaintainerData], [false, false]);
  });

  it('is refused without the token (control): the package is reported unauthorized, not silently skipped', async () => {
    const folder = await project('no-token', `@corp:registry=${verdaccio.url}\n`);
    const report = await audit(folder);
    assert.deepStrictEqual(report.findings, []);
    assert.deepStrictEqual(
      report.errors.map((e) => [e.kind, e.package]),
      [['unauthorized', '@corp/widget']],
    );
  });
});
