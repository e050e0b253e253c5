/**
 * Runs `dependency-risk diff --contents` end to end: a real git repository made here, lockfiles written
 * by the real npm, and tarballs built with the real `npm pack` served (with their integrity) by the
 * loopback fixture registry, as test/unit/contents/inspect.test.ts does.
 */

import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { run } from '../../../src/cli/main';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { FIXTURES, packFixture, serveVersions } from '../contents/support/pack';
import { isolatedGitEnv } from '../../support/git-env';

/**
 * serveVersions publishes a package's versions a day apart from 2025-09-01. With a one-day waiting
 * period at this moment, color-kit@1.2.2 (the third release) is fresh and quiet-lib@1.0.1 is not.
 */
const NOW = '2025-09-03T12:00:00.000Z';

interface JsonReport {
  readonly incomplete: boolean;
  readonly changes: { kind: string; name: string; from?: string; to?: string }[];
  readonly findings: { rule: string; severity: string; package: string; version: string; message: string; evidence: Record<string, unknown>; location?: { file: string } }[];
  readonly errors: { kind: string; message: string }[];
}

function manifest(dependencies: Record<string, string>): string {
  return `${JSON.stringify({ name: 'contents-app', version: '1.0.0', private: true, dependencies }, null, 2)}\n`;
}

describe('dependency-risk diff --contents end to end (real git, npm and npm pack)', function () {
  this.timeout(120_000);

  let registry: FixtureRegistry;
  let home: string;
  let repo: string;
  let env: Record<string, string>;

  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' }).trim();
  const write = (file: string, text: string): void => writeFileSync(join(repo, file), text);
  const npmLock = async (): Promise<void> => {
    await promisify(execFile)('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', `--registry=${registry.url}`], { cwd: repo, env });
  };
  const commitAll = (message: string): void => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
  };

  async function diff(...flags: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await run(['diff', repo, '--base', 'main', '--now', NOW, '--min-age', '1', '--refresh', ...flags], {
      stdout: (text: string) => (stdout += text),
      stderr: (text: string) => (stderr += text),
      env: { ...env, DEPENDENCY_RISK_CACHE_DIR: join(home, 'cache') },
      cwd: repo,
      platform: 'linux',
      homedir: home,
    });
    return { code, stdout, stderr };
  }
  const json = async (...flags: string[]): Promise<{ code: number; report: JsonReport }> => {
    const outcome = await diff('--format', 'json', ...flags);
    return { code: outcome.code, report: JSON.parse(outcome.stdout) as JsonReport };
  };
  const rules = (report: JsonReport) => report.findings.map((f) => [f.rule, f.package, f.version]).sort();
  const contentsRequests = () => registry.requests.filter((r) => r.url.endsWith('.tgz')).map((r) => r.url.slice(r.url.lastIndexOf('/') + 1)).sort();

  before(async () => {
    registry = await startFixtureRegistry();
    home = mkdtempSync(join(tmpdir(), 'dr-diff-contents-'));
    repo = join(home, 'repo');
    mkdirSync(repo);
    env = isolatedGitEnv(home);
    // color-kit: 1.2.0 clean; 1.2.1 appends an obfuscated payload; 1.2.2 ships 1.2.1's index.js again.
    // Against its registry predecessor (1.2.1) 1.2.2 changes nothing; against 1.2.0, which the change replaces, it is the payload.
    const obfuscated = readFileSync(join(FIXTURES, 'chalk-shape', '1.2.1', 'index.js'));
    const relabelled = `${JSON.stringify({ ...JSON.parse(readFileSync(join(FIXTURES, 'chalk-shape', '1.2.1', 'package.json'), 'utf8')), version: '1.2.2' }, null, 2)}\n`;
    const [clean, payload, again, quietOld, quietNew] = await Promise.all([
      packFixture('chalk-shape', '1.2.0'),
      packFixture('chalk-shape', '1.2.1'),
      packFixture('chalk-shape', '1.2.1', { 'index.js': obfuscated, 'package.json': relabelled }),
      packFixture('manifest-confusion', '1.0.0'),
      packFixture('manifest-confusion', '1.0.1'),
    ]);
    serveVersions(registry, 'color-kit', [clean, payload, { ...again, version: '1.2.2' }]);
    // The registry's metadata for 1.0.1 hides the postinstall its tarball's package.json has: no other rule flags it.
    serveVersions(registry, 'quiet-lib', [quietOld, quietNew], (doc) => delete doc['scripts']);

    git('init', '-q', '-b', 'main');
    write('package.json', manifest({ 'color-kit': '1.2.0', 'quiet-lib': '1.0.0' }));
    write('.npmrc', `registry=${registry.url}\n`);
    await npmLock();
    commitAll('main');
    git('checkout', '-q', '-b', 'feature');
    write('package.json', manifest({ 'color-kit': '1.2.2', 'quiet-lib': '1.0.1' }));
    await npmLock();
    commitAll('feature');
  });

  after(async () => {
    await registry.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('without --contents downloads no tarball and reports no content finding', async () => {
    registry.resetStats();
    const { report } = await json();
    assert.deepEqual(rules(report), [['fresh-release', 'color-kit', '1.2.2']]);
    assert.deepEqual(contentsRequests(), []);
  });

  it('--contents inspects the flagged version against the version the change replaces, not its registry predecessor', async () => {
    registry.resetStats();
    const { code, report } = await json('--contents');
    assert.equal(code, 1);
    assert.deepEqual(rules(report), [['contents-obfuscated', 'color-kit', '1.2.2'], ['fresh-release', 'color-kit', '1.2.2']]);
    const finding = report.findings.find((f) => f.rule === 'contents-obfuscated');
    assert.equal(finding?.severity, 'error');
    assert.equal(finding?.evidence['previousVersion'], '1.2.0');
    assert.equal(finding?.evidence['file'], 'index.js');
    assert.match(finding?.message ?? '', /which 1\.2\.0 did not have/);
    // Placed where the version's other finding is, so every format shows it with its change.
    assert.equal(finding?.location?.file, report.findings.find((f) => f.rule === 'fresh-release')?.location?.file);
    assert.deepEqual(report.errors, []);
    assert.equal(report.incomplete, false);
    // Only the flagged version and the one it replaces were downloaded; quiet-lib was not flagged.
    assert.deepEqual(contentsRequests(), ['color-kit-1.2.0.tgz', 'color-kit-1.2.2.tgz']);
  });

  it('--contents=all inspects every new direct version too', async () => {
    const { report } = await json('--contents=all');
    assert.deepEqual(rules(report), [
      ['contents-capability-added', 'quiet-lib', '1.0.1'],
      ['contents-obfuscated', 'color-kit', '1.2.2'],
      ['fresh-release', 'color-kit', '1.2.2'],
      ['install-script-target', 'quiet-lib', '1.0.1'],
      ['manifest-mismatch', 'quiet-lib', '1.0.1'],
    ]);
  });

  it('content findings join the text, Markdown and SARIF reports', async () => {
    const text = await diff('--contents', '--no-color');
    assert.equal(text.code, 1);
    assert.match(text.stdout, /color-kit[^\n]*1\.2\.0[^\n]*1\.2\.2[\s\S]*contents-obfuscated/);
    const markdown = await diff('--contents', '--format', 'markdown');
    assert.match(markdown.stdout, /contents-obfuscated/);
    const sarif = JSON.parse((await diff('--contents', '--format', 'sarif')).stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[] };
    const [runResult] = sarif.runs;
    assert.ok(runResult?.results.some((r) => r.ruleId === 'contents-obfuscated'));
    assert.ok(runResult?.tool.driver.rules.some((r) => r.id === 'contents-obfuscated'));
  });

  it('an acceptance in the base revision silences a content finding like any other', async () => {
    git('checkout', '-q', 'main');
    write('.dependency-risk.json', `${JSON.stringify({ accept: [{ package: 'color-kit@1.2.2', rule: 'contents-obfuscated', reason: 'reviewed the payload' }] }, null, 2)}\n`);
    commitAll('accept');
    git('checkout', '-q', 'feature');
    git('merge', '-q', '--no-edit', 'main');
    try {
      const { report } = await json('--contents');
      assert.deepEqual(rules(report), [['fresh-release', 'color-kit', '1.2.2']]);
    } finally {
      git('reset', '-q', '--hard', 'HEAD~1');
      git('branch', '-q', '-f', 'main', 'main~1');
    }
  });
});
