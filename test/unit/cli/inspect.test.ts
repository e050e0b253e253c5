/** Tests `dependency-risk inspect` and `audit --contents` end to end: real tarballs from npm pack, the loopback fixture registry, exit codes and formats. */

import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine } from '../../../src/cli/args';
import { run, type CliIo } from '../../../src/cli/main';
import { integrityOf } from '../../../src/core/contents/integrity';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { packFixture, serveVersions, type PackedVersion } from '../contents/support/pack';

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('cli inspect and audit --contents (fixture registry)', function () {
  this.timeout(120_000);
  let registry: FixtureRegistry;
  let home: string;
  let chalk: PackedVersion[];

  before(async () => {
    registry = await startFixtureRegistry();
    home = await mkdtemp(join(tmpdir(), 'dr-cli-inspect-'));
    chalk = await Promise.all([packFixture('chalk-shape', '1.2.0'), packFixture('chalk-shape', '1.2.1')]);
    serveVersions(registry, 'color-kit', chalk);
    serveVersions(registry, 'color-kit-quiet', [
      { ...chalk[0]!, manifest: { ...chalk[0]!.manifest, name: 'color-kit-quiet' } },
      { ...chalk[0]!, version: '1.2.1', manifest: { ...chalk[0]!.manifest, name: 'color-kit-quiet', version: '1.2.1' } },
    ]);
  });

  after(async () => {
    await registry.close();
    await rm(home, { recursive: true, force: true });
  });

  async function cli(argv: string[], cwd = home): Promise<Outcome> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: (text: string) => (stdout += text),
      stderr: (text: string) => (stderr += text),
      env: { DEPENDENCY_RISK_CACHE_DIR: join(home, 'cache'), HOME: home, npm_config_userconfig: join(home, 'no-npmrc') },
      cwd,
      platform: 'linux',
      homedir: home,
    };
    const code = await run(argv, io);
    return { code, stdout, stderr };
  }

  it('parses inspect arguments, scoped names included, and refuses what does not apply', () => {
    assert.deepStrictEqual(parseCommandLine(['inspect', '@scope/pkg@1.2.3', '--against', '1.2.0']), {
      ok: true,
      command: { kind: 'inspect', args: { name: '@scope/pkg', version: '1.2.3', against: '1.2.0', format: 'text', failOn: 'error' } },
    });
    assert.deepStrictEqual(parseCommandLine(['inspect', 'chalk']), { ok: false, message: "'inspect' needs an exact version, such as chalk@5.6.1; got 'chalk'." });
    assert.deepStrictEqual(parseCommandLine(['inspect', 'chalk@1.0.0', '--format', 'sarif']), { ok: false, message: "'inspect' prints text or json; sarif is for 'audit'." });
    assert.deepStrictEqual(parseCommandLine(['audit', '--contents']).ok && parseCommandLine(['audit', '--contents']), {
      ok: true,
      command: { kind: 'audit', args: { folder: '.', format: 'text', failOn: 'error', offline: false, refresh: false, include: ['prod', 'dev', 'optional', 'peer'], fix: false, contents: 'flagged' } },
    });
    assert.equal(parseCommandLine(['audit', '--contents=some']).ok, false);
  });

  it('inspect prints the changed files and the finding, and exits 1 on an error-level finding', async () => {
    const outcome = await cli(['inspect', 'color-kit@1.2.1', '--registry', registry.url]);
    assert.equal(outcome.code, 1, outcome.stderr);
    assert.match(outcome.stdout, /^color-kit@1\.2\.1: compared with 1\.2\.0\n\nFiles: 0 added, 0 removed, 1 grown, 1 changed \(2 files, 3\.4 KB; was 2 files, 610 B\)\n {2}↑ index\.js \(410 B → 3\.2 KB\)\n {2}~ package\.json \(200 B → 200 B\)\n/);
    assert.match(outcome.stdout, /Install scripts: none\n\n {2}error {4}contents-obfuscated {2}color-kit@1\.2\.1 grows index\.js/);
    assert.match(outcome.stdout, /\n {11}index\.js:17\n {11}│ const _0x/);
    assert.match(outcome.stdout, /\n\n1 error, 0 warnings, 0 info\.\n$/);
    assert.equal(outcome.stderr, '');
  });

  it('inspect --format json is one JSON document; --fail-on never exits 0', async () => {
    const outcome = await cli(['inspect', 'color-kit@1.2.1', '--registry', registry.url, '--format', 'json', '--fail-on', 'never']);
    assert.equal(outcome.code, 0);
    const report = JSON.parse(outcome.stdout) as { schemaVersion: number; previousVersion: string; findings: Array<{ rule: string; evidence: Record<string, unknown> }>; files: { grown: unknown[] } };
    assert.deepStrictEqual([report.schemaVersion, report.previousVersion, report.findings.map((f) => [f.rule, f.evidence['file']])], [1, '1.2.0', [['contents-obfuscated', 'index.js']]]);
  });

  it('inspect of a quiet release exits 0 (control)', async () => {
    const outcome = await cli(['inspect', 'color-kit-quiet@1.2.1', '--registry', registry.url]);
    assert.deepStrictEqual([outcome.code, outcome.stderr], [0, '']);
    assert.match(outcome.stdout, /No content findings\.\n$/);
  });

  it('inspect of a version that does not exist exits 2 with the reason on stderr', async () => {
    const outcome = await cli(['inspect', 'color-kit@9.9.9', '--registry', registry.url]);
    assert.deepStrictEqual(outcome, { code: 2, stdout: '', stderr: 'dependency-risk: error: color-kit@9.9.9 is not in the registry; nothing to inspect.\n' });
  });

  describe('audit --contents', () => {
    let project: string;
    before(async () => {
      project = await mkdtemp(join(tmpdir(), 'dr-cli-contents-'));
      await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'color-kit': '^1.2.0' } }, null, 2));
      await writeFile(
        join(project, 'package-lock.json'),
        JSON.stringify(
          {
            name: 'app',
            version: '1.0.0',
            lockfileVersion: 3,
            requires: true,
            packages: {
              '': { name: 'app', version: '1.0.0', dependencies: { 'color-kit': '^1.2.0' } },
              'node_modules/color-kit': { version: '1.2.1', resolved: `${registry.url}color-kit/-/color-kit-1.2.1.tgz`, integrity: integrityOf(chalk[1]!.tarball) },
            },
          },
          null,
          2,
        ),
      );
    });
    after(() => rm(project, { recursive: true, force: true }));

    // 1.2.1 was published 2025-09-02: fresh on 2025-09-03, so fresh-release (a warning) flags it and --contents inspects it.
    const base = () => ['audit', project, '--registry', registry.url, '--now', '2025-09-03', '--format', 'json'];

    it('without --contents the fresh release is only a warning: exit 0 (control)', async () => {
      const outcome = await cli(base());
      const report = JSON.parse(outcome.stdout) as { findings: Array<{ rule: string }> };
      assert.deepStrictEqual([outcome.code, report.findings.map((f) => f.rule)], [0, ['fresh-release']]);
    });

    it('--contents=all inspects direct dependencies that no other rule flags; plain --contents does not (control)', async () => {
      const later = ['audit', project, '--registry', registry.url, '--now', '2026-01-01', '--format', 'json'];
      const flaggedOnly = await cli([...later, '--contents']);
      const all = await cli([...later, '--contents=all']);
      const rules = (outcome: Outcome) => (JSON.parse(outcome.stdout) as { findings: Array<{ rule: string }> }).findings.map((f) => f.rule);
      assert.deepStrictEqual([flaggedOnly.code, rules(flaggedOnly), all.code, rules(all)], [0, [], 1, ['contents-obfuscated']]);
    });

    it('with --contents the flagged version is inspected, and its obfuscated payload fails the audit', async () => {
      const outcome = await cli([...base(), '--contents']);
      const report = JSON.parse(outcome.stdout) as { findings: Array<{ rule: string; severity: string; location?: { file: string } }> };
      assert.deepStrictEqual(
        [outcome.code, report.findings.map((f) => [f.rule, f.severity, f.location?.file.endsWith('package.json')])],
        [1, [['contents-obfuscated', 'error', true], ['fresh-release', 'warning', true]]],
      );
    });
  });
});
