import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditProject, type AuditOptions } from '../../src/core/audit';
import { applyEdits } from '../../src/core/fix';
import { startFixtureRegistry, type FixtureRegistry } from '../support/fixture-registry';

/** The fixture packuments' clock (test/fixtures/packuments/README.md). */
const NOW = new Date('2025-10-05T12:00:00.000Z');
const RISKY_APP = join(__dirname, '..', 'fixtures', 'projects', 'risky-app');

describe('auditProject', () => {
  let registry: FixtureRegistry;
  let home: string;
  before(async () => {
    registry = await startFixtureRegistry();
  });
  after(() => registry.close());
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'dr-audit-'));
    registry.resetStats();
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const options = (dir: string, extra: Partial<AuditOptions> = {}): AuditOptions => ({
    dir,
    now: NOW,
    registry: registry.url,
    env: { npm_config_userconfig: join(home, 'no-npmrc') },
    cacheDir: join(home, 'cache'),
    ...extra,
  });

  it('reports every risky locked package of an npm project, direct on package.json and transitive on the lockfile', async () => {
    const report = await auditProject(options(RISKY_APP, { fix: true }));
    const where = (l?: { file: string; line: number; column: number }) => (l ? `${l.file}:${l.line}:${l.column}` : undefined);
    assert.deepStrictEqual(
      report.findings.map((f) => [f.severity, f.rule, `${f.package}@${f.version}`, where(f.location), f.via?.join(' > ')]),
      [
        ['error', 'install-script-added', 'evil-patch@4.1.2', 'package-lock.json:32:5', 'app-framework > evil-patch'],
        ['warning', 'fresh-release', 'evil-patch@4.1.2', 'package-lock.json:32:5', 'app-framework > evil-patch'],
        ['warning', 'publisher-changed', 'new-publisher@2.1.1', 'package.json:7:22', undefined],
        ['warning', 'fresh-release', 'lost-provenance@3.1.2', 'package.json:8:24', undefined],
        ['warning', 'provenance-dropped', 'lost-provenance@3.1.2', 'package.json:8:24', undefined],
        ['warning', 'fresh-release', 'mirror-style@1.1.0', 'package.json:10:21', undefined],
        ['warning', 'install-script-changed', 'native-addon@5.1.0', 'package.json:14:21', undefined],
        ['info', 'maintainer-added', 'new-publisher@2.1.1', 'package.json:7:22', undefined],
        ['info', 'deprecated', 'old-deprecated@1.0.0', 'package.json:9:23', undefined],
      ],
    );
    assert.deepStrictEqual(report.errors, []);
    assert.deepStrictEqual(
      report.packages.map((p) => [p.name, p.version, p.direct, p.dev, p.checked, p.reason]),
      [
        ['app-framework', '3.0.0', true, false, true, undefined],
        ['evil-patch', '4.1.2', false, false, true, undefined],
        ['local-tool', '0.1.0', true, false, false, 'not from the registry (a linked folder); not checked'],
        ['lost-provenance', '3.1.2', true, false, true, undefined],
        ['mirror-style', '1.1.0', true, false, true, undefined],
        ['native-addon', '5.1.0', true, true, true, undefined],
        ['new-publisher', '2.1.1', true, false, true, undefined],
        ['old-deprecated', '1.0.0', true, false, true, undefined],
        ['safe-lib', '1.2.0', true, false, true, undefined],
      ],
    );
    assert.deepStrictEqual(registry.requests.map((r) => r.name).sort(), [
      'app-framework', 'evil-patch', 'lost-provenance', 'mirror-style', 'native-addon', 'new-publisher', 'old-deprecated', 'safe-lib',
    ]);
  });

  it('plans a pin for a direct dependency and an override for a transitive one, as text edits that apply cleanly', async () => {
    const report = await auditProject(options(RISKY_APP, { fix: true }));
    assert.deepStrictEqual(
      report.fixes.map((f) => [f.kind, f.package, f.from, f.to, f.addresses.join(',')]),
      [
        ['override', 'evil-patch', '4.1.2', '4.1.1', 'fresh-release,install-script-added'],
        ['pin', 'lost-provenance', '3.1.2', '3.1.1', 'fresh-release,provenance-dropped'],
        ['pin', 'mirror-style', '1.1.0', '1.0.0', 'fresh-release'],
        ['pin', 'native-addon', '5.1.0', '5.0.1', 'install-script-changed'],
        ['pin', 'new-publisher', '2.1.1', '2.1.0', 'publisher-changed'],
      ],
    );
    const text = readFileSync(join(RISKY_APP, 'package.json'), 'utf8');
    const pinned = applyEdits(text, report.fixes.find((f) => f.package === 'lost-provenance')!.edits);
    assert.equal(pinned, text.replace('"lost-provenance": "^3.1.0"', '"lost-provenance": "3.1.1"'));
    const overridden = JSON.parse(applyEdits(text, report.fixes.find((f) => f.package === 'evil-patch')!.edits)) as { overrides: unknown };
    assert.deepStrictEqual(overridden.overrides, { 'evil-patch': '4.1.1' });
  });

  it("follows the project's .npmrc min-release-age and allowScripts, and lets --min-age win", async () => {
    const dir = join(home, 'app');
    cpSync(RISKY_APP, dir, { recursive: true });
    writeFileSync(join(dir, '.npmrc'), 'min-release-age=0.5\n');
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, allowScripts: { 'native-addon@5.1.0': true, 'evil-patch': false } }, null, 2));
    const report = await auditProject(options(dir));
    const fresh = report.findings.filter((f) => f.rule === 'fresh-release').map((f) => f.package);
    // 0.5 days = 12 h: evil-patch 4.1.2 (3 h) and mirror-style 1.1.0 (6 h) are younger; lost-provenance 3.1.2 (24 h) is not.
    assert.deepStrictEqual(fresh, ['evil-patch', 'mirror-style']);
    assert.equal(report.policy.minReleaseAgeDays, 0.5);
    assert.equal(report.policy.origins.minReleaseAgeDays, `${join(dir, '.npmrc')} min-release-age`);
    const scripts = report.findings.filter((f) => f.rule.startsWith('install-script')).map((f) => [f.package, f.severity]);
    assert.deepStrictEqual(scripts, [['evil-patch', 'error'], ['native-addon', 'info']]);
    const flagged = await auditProject(options(dir, { minAgeDays: 30 }));
    assert.deepStrictEqual(
      flagged.findings.filter((f) => f.rule === 'fresh-release').map((f) => f.package),
      ['evil-patch', 'new-publisher', 'lost-provenance', 'mirror-style', 'safe-lib'],
    );
  });

  it('does not read the project .npmrc when the project is untrusted', async () => {
    const dir = join(home, 'app');
    cpSync(RISKY_APP, dir, { recursive: true });
    writeFileSync(join(dir, '.npmrc'), 'registry=http://127.0.0.1:9/\nmin-release-age=0\n');
    const trusted = await auditProject(options(dir, { registry: undefined, trustProject: true, offline: true }));
    assert.equal(trusted.policy.minReleaseAgeDays, 0);
    const untrusted = await auditProject(options(dir, { trustProject: false }));
    assert.equal(untrusted.policy.minReleaseAgeDays, 7);
    assert.equal(untrusted.errors.length, 0);
  });

  it('audits a workspace monorepo with the root lockfile, naming the workspace and pointing at its package.json', async () => {
    const root = join(__dirname, '..', 'fixtures', 'projects', 'monorepo');
    const report = await auditProject(options(root, { fix: true }));
    assert.equal(report.root, root);
    assert.deepStrictEqual(report.lockfile, { file: 'package-lock.json', manager: 'npm', format: 'npm', reason: 'the only lockfile' });
    assert.deepStrictEqual(
      report.findings.map((f) => [f.rule, `${f.package}@${f.version}`, `${f.location?.file}:${f.location?.line}`, f.via?.join(' > '), f.workspace]),
      [
        ['install-script-added', 'evil-patch@4.1.2', 'package-lock.json:34', 'app-framework > evil-patch', 'packages/web'],
        ['fresh-release', 'evil-patch@4.1.2', 'package-lock.json:34', 'app-framework > evil-patch', 'packages/web'],
        ['install-script-changed', 'native-addon@5.1.0', 'packages/tool/package.json:5', undefined, 'packages/tool'],
      ],
    );
    assert.deepStrictEqual(report.fixes.map((f) => [f.file, f.kind, f.package, f.to]), [
      ['package.json', 'override', 'evil-patch', '4.1.1'],
      ['packages/tool/package.json', 'pin', 'native-addon', '5.0.1'],
    ]);
    const web = await auditProject(options(join(root, 'packages', 'web')));
    assert.equal(web.root, root, 'a workspace folder is audited with the root lockfile');
    assert.deepStrictEqual(web.packages.map((p) => `${p.name}@${p.version}`), ['app-framework@3.0.0', 'evil-patch@4.1.2']);
  });

  it('checks the versions package.json admits when there is no lockfile', async () => {
    const dir = join(home, 'nolock');
    cpSync(join(RISKY_APP, 'package.json'), join(dir, 'package.json'));
    const report = await auditProject(options(dir));
    assert.deepStrictEqual(
      report.packages.filter((p) => p.checked).map((p) => `${p.name}@${p.version}`),
      ['app-framework@3.0.0', 'lost-provenance@3.1.2', 'mirror-style@1.1.0', 'native-addon@5.1.0', 'new-publisher@2.1.1', 'old-deprecated@1.0.0', 'safe-lib@1.2.0'],
    );
    assert.ok(report.findings.every((f) => f.location?.file === 'package.json'));
  });

  it('reports a folder without package.json as fatal, and a package missing from the registry per package', async () => {
    const missing = await auditProject(options(join(home, 'nothing')));
    assert.deepStrictEqual(missing.errors.map((e) => e.kind), ['fatal']);
    const dir = join(home, 'typo');
    cpSync(join(RISKY_APP, 'package.json'), join(dir, 'package.json'));
    writeFileSync(join(dir, 'package.json'), '{"dependencies": {"safe-lib": "^1.0.0", "safe-libb": "^1.0.0"}}');
    const report = await auditProject(options(dir));
    assert.deepStrictEqual(report.errors.map((e) => [e.kind, e.package, e.location?.line]), [['not-found', 'safe-libb', 1]]);
    assert.deepStrictEqual(report.packages.map((p) => [p.name, p.checked]), [['safe-lib', true], ['safe-libb', false]]);
  });

  it("takes the policy from the project's own package manager: pnpm-workspace.yaml, bunfig.toml", async () => {
    const fixtures = join(__dirname, '..', 'fixtures', 'lockfiles');
    const pnpm = await auditProject(options(join(fixtures, 'pnpm-v9-env'), { offline: true }));
    assert.deepStrictEqual([pnpm.policy.minReleaseAgeDays, pnpm.policy.minReleaseAgeExclude, pnpm.policy.allowScripts, pnpm.policy.origins], [
      7,
      ['is-odd', '@fx/*'],
      { 'core-js': false },
      {
        minReleaseAgeDays: 'pnpm-workspace.yaml minimumReleaseAge (10080 minutes)',
        minReleaseAgeExclude: 'pnpm-workspace.yaml minimumReleaseAgeExclude',
        allowScripts: 'pnpm-workspace.yaml allowBuilds',
        trustPolicy: 'pnpm-workspace.yaml trustPolicy',
      },
    ]);
    assert.deepStrictEqual([pnpm.policy.ageGate, pnpm.policy.trustPolicy], ['pnpm will refuse to install it (minimumReleaseAge)', 'no-downgrade']);
    assert.deepStrictEqual(pnpm.errors.filter((e) => e.kind === 'stale-exclusion').map((e) => e.message), [
      'pnpm-workspace.yaml minimumReleaseAgeExclude: "@fx/*" matches no package in pnpm-lock.yaml; remove it, or it will exempt a future package of that name from the waiting period.',
    ]);
    const bun = await auditProject(options(join(fixtures, 'bun-app'), { offline: true }));
    assert.deepStrictEqual([bun.policy.minReleaseAgeDays, bun.policy.origins.minReleaseAgeDays], [3, 'bunfig.toml install.minimumReleaseAge']);
    const flagWins = await auditProject(options(join(fixtures, 'bun-app'), { offline: true, minAgeDays: 1 }));
    assert.equal(flagWins.policy.minReleaseAgeDays, 1);
  });

  it('explains that a binary bun.lockb is not read, and checks what package.json admits instead', async () => {
    const dir = join(home, 'bun');
    cpSync(join(RISKY_APP, 'package.json'), join(dir, 'package.json'));
    writeFileSync(join(dir, 'bun.lockb'), Buffer.from([0x23, 0x21, 0x2f, 0x75, 0x73, 0x72, 0x00, 0xff]));
    const report = await auditProject(options(dir));
    assert.deepStrictEqual(report.errors.map((e) => [e.kind, e.file]), [['unsupported-lockfile', 'bun.lockb']]);
    assert.match(report.errors[0].message, /^bun\.lockb is Bun's binary lockfile, which Dependency Risk does not read/);
    assert.equal(report.lockfile, undefined);
    assert.ok(report.packages.some((p) => p.name === 'app-framework' && p.checked));
  });

  it('reads the lockfile of the manager named by packageManager when several exist, and says which', async () => {
    for (const [manager, fixture, lockfile] of [
      ['pnpm@9.15.0', 'pnpm-v9', 'pnpm-lock.yaml'],
      ['yarn@1.22.22', 'yarn-classic-app', 'yarn.lock'],
      ['bun@1.2.0', 'bun-app', 'bun.lock'],
    ] as const) {
      const dir = join(home, fixture);
      cpSync(join(__dirname, '..', 'fixtures', 'lockfiles', fixture), dir, { recursive: true });
      cpSync(join(RISKY_APP, 'package-lock.json'), join(dir, 'package-lock.json'));
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, packageManager: manager }));
      const report = await auditProject(options(dir, { offline: true }));
      assert.deepStrictEqual(report.lockfile, { file: lockfile, manager: manager.split('@')[0], format: report.lockfile?.format, reason: `packageManager: ${manager}` });
      assert.deepStrictEqual(
        report.errors.filter((e) => e.kind === 'lockfile-choice').map((e) => e.message),
        [`Used ${lockfile} (packageManager: ${manager}); not read: package-lock.json.`],
      );
      assert.ok(report.packages.length > 3, `${fixture}: the locked packages are listed`);
    }
  });
});
