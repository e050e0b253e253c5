/** Offline use end to end: cached facts marked with their age when the registry is down, `--offline` never asks, and the CLI says so. */

import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../../src/cli/main';
import { describeStaleFacts, formatAge } from '../../../src/core/registry/failure-message';
import type { AuditReport } from '../../../src/core/types';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { makeTempDir } from '../../support/registry-client-kit';

/** The fixture packuments' clock (test/fixtures/packuments/README.md). */
const NOW = '2025-10-05T12:00:00.000Z';
const THREE_DAYS_LATER = '2025-10-08T12:00:00.000Z';

describe('offline use', () => {
  let registry: FixtureRegistry;
  let registryDown: boolean;
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => {
    registry = await startFixtureRegistry();
    registryDown = false;
    ({ dir, remove } = await makeTempDir());
    await mkdir(join(dir, 'project'));
    await writeFile(join(dir, 'project', 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'evil-patch': '4.1.2', 'safe-lib': '^1.0.0' } }));
    await writeFile(join(dir, 'npmrc'), `registry=${registry.url}\n`);
  });
  afterEach(async () => {
    if (!registryDown) await registry.close();
    await remove();
  });

  async function audit(now: string, ...flags: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await run(['audit', join(dir, 'project'), '--now', now, ...flags], {
      stdout: (t: string) => (stdout += t),
      stderr: (t: string) => (stderr += t),
      env: { npm_config_userconfig: join(dir, 'npmrc'), DEPENDENCY_RISK_CACHE_DIR: join(dir, 'cache'), HOME: dir },
      cwd: dir,
      platform: 'linux',
      homedir: dir,
    });
    return { code, stdout, stderr };
  }

  const reasons = (json: string) => (JSON.parse(json) as AuditReport).packages.map((p) => [p.name, p.checked, p.reason ?? null]);

  it('uses the cached facts when the registry is down, and marks each package with their age (text and JSON)', async () => {
    const online = await audit(NOW, '--format', 'json');
    assert.deepStrictEqual(reasons(online.stdout), [['evil-patch', true, null], ['safe-lib', true, null]]);
    await registry.close();
    registryDown = true;

    const text = await audit(THREE_DAYS_LATER);
    assert.equal(text.code, 1, 'the cached facts still carry the install-script finding');
    assert.ok(
      text.stdout.includes(
        [
          'Checked against cached facts',
          `  evil-patch@4.1.2: registry unreachable; used facts cached 3 days ago (${NOW})`,
          `  safe-lib@1.2.0: registry unreachable; used facts cached 3 days ago (${NOW})`,
        ].join('\n'),
      ),
      text.stdout,
    );
    const json = await audit(THREE_DAYS_LATER, '--format', 'json');
    assert.deepStrictEqual(reasons(json.stdout), [
      ['evil-patch', true, `registry unreachable; used facts cached 3 days ago (${NOW})`],
      ['safe-lib', true, `registry unreachable; used facts cached 3 days ago (${NOW})`],
    ]);
  });

  it('--offline answers from the cache only, sends no request, and says it was offline mode', async () => {
    await audit(NOW);
    registry.resetStats();
    await writeFile(join(dir, 'project', 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'evil-patch': '4.1.2', 'safe-lib': '^1.0.0', 'old-deprecated': '1.0.0' } }));
    const offline = await audit(THREE_DAYS_LATER, '--offline', '--format', 'json');
    assert.deepStrictEqual(registry.requests, []);
    const report = JSON.parse(offline.stdout) as AuditReport;
    assert.deepStrictEqual(reasons(offline.stdout), [
      ['evil-patch', true, `offline mode; used facts cached 3 days ago (${NOW})`],
      ['old-deprecated', false, 'old-deprecated: nothing is cached for it, and offline mode sends no requests; run once online to fill the cache.'],
      ['safe-lib', true, `offline mode; used facts cached 3 days ago (${NOW})`],
    ]);
    assert.deepStrictEqual(report.errors.map((e) => [e.kind, e.package]), [['offline', 'old-deprecated']]);

    await audit(THREE_DAYS_LATER); // control: without --offline the registry is asked
    assert.ok(registry.requests.length > 0);
  });
});

describe('describeStaleFacts and formatAge', () => {
  const at = '2025-10-05T12:00:00.000Z';
  const cases: Array<[string, Date, Parameters<typeof describeStaleFacts>[1], string]> = [
    ['offline mode', new Date('2025-10-05T12:00:30.000Z'), 'offline-mode', `offline mode; used facts cached just now (${at})`],
    ['unreachable', new Date('2025-10-05T12:01:00.000Z'), 'offline', `registry unreachable; used facts cached 1 minute ago (${at})`],
    ['timeout', new Date('2025-10-05T17:00:00.000Z'), 'timeout', `registry timed out; used facts cached 5 hours ago (${at})`],
    ['5xx', new Date('2025-10-07T11:59:00.000Z'), 'error', `registry failed; used facts cached 47 hours ago (${at})`],
    ['two days', new Date('2025-10-07T12:00:00.000Z'), 'error', `registry failed; used facts cached 2 days ago (${at})`],
    ['a clock behind the cache', new Date('2025-10-05T11:00:00.000Z'), 'offline', `registry unreachable; used facts cached just now (${at})`],
  ];
  for (const [what, now, because, expected] of cases) {
    it(`describes ${what}`, () => assert.equal(describeStaleFacts(at, because, now), expected));
  }
  it('reads an unparseable age as just now rather than NaN', () => assert.equal(formatAge(Number.NaN), 'just now'));
});
