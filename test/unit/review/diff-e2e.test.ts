/**
 * Runs `dependency-risk diff` end to end on real git repositories made here, with lockfiles written by
 * the real npm against the loopback fixture registry (test/fixtures/packuments), and --now fixed.
 */

import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { run } from '../../../src/cli/main';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { isolatedGitEnv } from '../../support/git-env';

/** The fixture packuments' clock (test/fixtures/packuments/README.md). */
const NOW = '2025-10-05T12:00:00.000Z';
const FOREIGN_INTEGRITY = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface JsonChange {
  readonly kind: string;
  readonly name: string;
  readonly from?: string;
  readonly to?: string;
  readonly level?: string;
  readonly direct: boolean;
  readonly scope: string;
  readonly via?: string[];
  readonly message: string;
}

interface JsonReport {
  readonly base: { readonly ref: string; readonly commit?: string; readonly mergeBaseWith?: string };
  readonly head: { readonly ref: string; readonly kind: string };
  readonly incomplete: boolean;
  readonly changedFiles: string[];
  readonly lockfiles: { file: string; status: string; manager?: string; reason?: string }[];
  readonly changes: JsonChange[];
  readonly findings: { rule: string; severity: string; package: string; version: string; message: string; location?: { file: string } }[];
  readonly configChanges: { file: string; setting: string; weakens: boolean }[];
  readonly accepted: { package: string; rule: string; status: string; findings: { rule: string }[] }[];
  readonly notChecked: unknown[];
  readonly errors: { kind: string; message: string }[];
}

function manifest(dependencies: Record<string, string>, devDependencies: Record<string, string> = {}): string {
  return `${JSON.stringify({ name: 'review-app', version: '1.0.0', private: true, dependencies, devDependencies }, null, 2)}\n`;
}

describe('dependency-risk diff end to end (real git and npm)', function () {
  // Four npm runs and a few dozen git commands; the tests themselves each take well under a second.
  this.timeout(60_000);

  let registry: FixtureRegistry;
  let other: FixtureRegistry;
  let home: string;
  let repo: string;
  let env: Record<string, string>;
  let mainCommit: string;

  const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
  const npmLock = async (cwd: string): Promise<void> => {
    await promisify(execFile)('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', `--registry=${registry.url}`], { cwd, env });
  };
  const write = (cwd: string, file: string, text: string): void => writeFileSync(join(cwd, file), text);
  const read = (cwd: string, file: string): string => readFileSync(join(cwd, file), 'utf8');
  const editLock = (cwd: string, edit: (packages: Record<string, Record<string, unknown>>) => void): void => {
    const lock = JSON.parse(read(cwd, 'package-lock.json')) as { packages: Record<string, Record<string, unknown>> };
    edit(lock.packages);
    write(cwd, 'package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
  };
  const commitAll = (cwd: string, message: string): void => {
    git(cwd, 'add', '-A');
    git(cwd, 'commit', '-q', '-m', message);
  };

  async function diff(cwd: string, ...flags: string[]): Promise<Outcome> {
    let stdout = '';
    let stderr = '';
    const code = await run(['diff', cwd, '--now', NOW, '--refresh', ...flags], {
      stdout: (text: string) => (stdout += text),
      stderr: (text: string) => (stderr += text),
      env: { ...env, DEPENDENCY_RISK_CACHE_DIR: join(home, 'cache') },
      cwd,
      platform: 'linux',
      homedir: home,
    });
    return { code, stdout, stderr };
  }

  async function json(cwd: string, ...flags: string[]): Promise<{ code: number; report: JsonReport; stderr: string }> {
    const outcome = await diff(cwd, '--format', 'json', ...flags);
    return { code: outcome.code, report: JSON.parse(outcome.stdout) as JsonReport, stderr: outcome.stderr };
  }

  const changeSummary = (report: JsonReport) => report.changes.map((c) => [c.kind, c.name, c.from ?? null, c.to ?? null, c.level ?? null, c.direct, c.scope, c.via ?? null]);
  const findingSummary = (report: JsonReport) => report.findings.map((f) => [f.rule, f.severity, f.package, f.version]).sort();

  before(async () => {
    registry = await startFixtureRegistry();
    other = await startFixtureRegistry();
    home = mkdtempSync(join(tmpdir(), 'dr-diff-e2e-'));
    repo = join(home, 'repo');
    mkdirSync(repo);
    env = isolatedGitEnv(home);
    git(repo, 'init', '-q', '-b', 'main');
    // main: the project as it is, with its own registry and a 7-day waiting period.
    write(repo, 'package.json', manifest({ 'safe-lib': '1.1.0', 'lost-provenance': '3.1.1' }, { 'new-publisher': '2.1.1' }));
    write(repo, '.npmrc', `registry=${registry.url}\nmin-release-age=7\n`);
    write(
      repo,
      '.dependency-risk.json',
      `${JSON.stringify({ accept: [
        { package: 'new-publisher', rule: 'downgrade', reason: '2.1.1 was published by an unknown account' },
        { package: 'safe-lib', rule: 'fresh-release', reason: 'old exception', expires: '2025-01-01' },
      ] }, null, 2)}\n`,
    );
    write(repo, 'README.md', '# review app\n');
    await npmLock(repo);
    commitAll(repo, 'main');
    mainCommit = git(repo, 'rev-parse', 'HEAD');

    // feature: an upgrade, a downgrade, a provenance drop, and app-framework bringing in evil-patch 4.1.2 (a new postinstall, 3 h old).
    git(repo, 'checkout', '-q', '-b', 'feature');
    write(repo, 'package.json', manifest({ 'safe-lib': '^1.2.0', 'lost-provenance': '3.1.2', 'app-framework': '^3.0.0' }, { 'new-publisher': '2.1.0' }));
    await npmLock(repo);
    const featureManifest = read(repo, 'package.json');
    const featureLock = read(repo, 'package-lock.json');
    const accept = JSON.parse(read(repo, '.dependency-risk.json')) as { accept: object[] };
    accept.accept.push({ package: 'evil-patch', rule: 'install-script-added', reason: 'trust me' });
    write(repo, '.dependency-risk.json', `${JSON.stringify(accept, null, 2)}\n`);
    commitAll(repo, 'feature');

    // tamper: the same versions as main, one pointed at another host, one with other bytes.
    git(repo, 'checkout', '-q', '-b', 'tamper', 'main');
    editLock(repo, (packages) => {
      packages['node_modules/safe-lib']!.resolved = 'https://evil.example.com/safe-lib/-/safe-lib-1.1.0.tgz';
      packages['node_modules/lost-provenance']!.integrity = FOREIGN_INTEGRITY;
    });
    commitAll(repo, 'tamper');

    // handedit: main's lockfile with a version typed over, nothing else touched.
    git(repo, 'checkout', '-q', '-b', 'handedit', 'main');
    editLock(repo, (packages) => {
      packages['node_modules/new-publisher']!.version = '2.1.0';
    });
    commitAll(repo, 'handedit');

    // integrity: feature's upgrade, with an integrity the registry never published for safe-lib 1.2.0.
    git(repo, 'checkout', '-q', '-b', 'integrity', 'main');
    write(repo, 'package.json', featureManifest);
    write(repo, 'package-lock.json', featureLock);
    editLock(repo, (packages) => {
      packages['node_modules/safe-lib']!.integrity = FOREIGN_INTEGRITY;
    });
    commitAll(repo, 'integrity');

    // policy: feature's packages, and in the same commit the waiting period lowered, evil-patch exempted and the registry moved.
    git(repo, 'checkout', '-q', '-b', 'policy', 'main');
    write(repo, 'package.json', featureManifest);
    write(repo, 'package-lock.json', featureLock);
    write(repo, '.npmrc', `registry=${other.url}\nmin-release-age=1\nmin-release-age-exclude[]=evil-patch\n`);
    commitAll(repo, 'policy');

    // docs: no dependency file changes.
    git(repo, 'checkout', '-q', '-b', 'docs', 'main');
    write(repo, 'README.md', '# review app\n\nMore words.\n');
    commitAll(repo, 'docs');
    git(repo, 'checkout', '-q', 'feature');
  });

  after(async () => {
    await registry.close();
    await other.close();
    rmSync(home, { recursive: true, force: true });
  });

  beforeEach(() => {
    registry.resetStats();
    other.resetStats();
  });

  it('names every change of a pull request against the merge base, runs the rules on what is new, and asks only about it', async () => {
    const { code, report } = await json(repo, '--base', 'main');
    assert.deepStrictEqual(
      [code, report.base.ref, report.base.commit, report.base.mergeBaseWith, report.head.ref, report.incomplete, report.changedFiles],
      [1, 'main', mainCommit, 'HEAD', 'HEAD', false, ['.dependency-risk.json', 'package-lock.json', 'package.json']],
    );
    assert.deepStrictEqual(report.lockfiles, [{ file: 'package-lock.json', manager: 'npm', format: 'npm', status: 'changed' }]);
    assert.deepStrictEqual(changeSummary(report), [
      ['added', 'app-framework', null, '3.0.0', null, true, 'prod', null],
      ['added', 'evil-patch', null, '4.1.2', null, false, 'prod', ['app-framework', 'evil-patch']],
      ['upgraded', 'lost-provenance', '3.1.1', '3.1.2', 'patch', true, 'prod', null],
      ['downgraded', 'new-publisher', '2.1.1', '2.1.0', 'patch', true, 'dev', null],
      ['upgraded', 'safe-lib', '1.1.0', '1.2.0', 'minor', true, 'prod', null],
    ]);
    assert.deepStrictEqual(
      report.changes.map((c) => c.message),
      [
        'app-framework 3.0.0 (new): published 126 days ago by `frank`',
        'evil-patch 4.1.2 (new): 4.1.2 runs `postinstall: node bundle.js` at install; published 3 h ago by `scott`',
        'lost-provenance 3.1.1 → 3.1.2 (patch): published 24 h ago by `alice`; 3.1.1 and the release before it by `GitHub Actions`; 3.1.1 had provenance from a trusted publisher, 3.1.2 has none',
        'new-publisher 2.1.1 → 2.1.0 (patch downgrade): published 146 days ago by `carol`',
        'safe-lib 1.1.0 → 1.2.0 (minor): published 15 days ago by `alice`',
      ],
    );
    assert.deepStrictEqual(findingSummary(report), [
      ['fresh-release', 'warning', 'evil-patch', '4.1.2'],
      ['fresh-release', 'warning', 'lost-provenance', '3.1.2'],
      ['install-script-added', 'error', 'evil-patch', '4.1.2'],
      ['provenance-dropped', 'warning', 'lost-provenance', '3.1.2'],
    ]);
    // The base revision's acceptance applies; the expired one and the one this change adds do not.
    assert.deepStrictEqual(
      report.accepted.map((a) => [a.package, a.rule, a.status, a.findings.map((f) => f.rule)]),
      [
        ['evil-patch', 'install-script-added', 'added', ['install-script-added']],
        ['new-publisher', 'downgrade', 'applied', ['downgrade']],
        ['safe-lib', 'fresh-release', 'expired', []],
      ],
    );
    assert.deepStrictEqual(
      registry.requests.map((r) => r.name).sort(),
      ['app-framework', 'evil-patch', 'lost-provenance', 'new-publisher', 'safe-lib'],
    );
  });

  it('prints the same review as text, each change with the findings on it', async () => {
    const { code, stdout, stderr } = await diff(repo, '--base', 'main');
    const lines = stdout.split('\n');
    assert.deepStrictEqual([code, stderr, lines[0]], [1, '', `Dependency changes: merge base of main and HEAD (${mainCommit.slice(0, 12)}) → HEAD (${git(repo, 'rev-parse', 'HEAD').slice(0, 12)})`]);
    assert.ok(stdout.includes('  added      evil-patch 4.1.2 (new): 4.1.2 runs `postinstall: node bundle.js` at install; published 3 h ago by `scott` [via app-framework > evil-patch]\n               error    install-script-added  evil-patch@4.1.2 adds a postinstall script'), stdout);
    assert.ok(lines.at(-2)?.startsWith('5 changes (2 added, 2 upgraded, 1 downgraded); 4 findings (1 error, 3 warnings, 0 info)'), lines.at(-2));
  });

  it('reports a hand-edited resolved URL and a changed integrity for versions that did not change', async () => {
    const { code, report } = await json(repo, '--base', 'main', '--head', 'tamper');
    assert.deepStrictEqual(changeSummary(report), [
      ['integrity-changed', 'lost-provenance', '3.1.1', '3.1.1', null, true, 'prod', null],
      ['source-changed', 'safe-lib', '1.1.0', '1.1.0', null, true, 'prod', null],
    ]);
    assert.deepStrictEqual(findingSummary(report), [
      ['integrity-mismatch', 'error', 'lost-provenance', '3.1.1'],
      ['lockfile-integrity-changed', 'error', 'lost-provenance', '3.1.1'],
      ['lockfile-source-changed', 'error', 'safe-lib', '1.1.0'],
      ['tarball-url-mismatch', 'error', 'safe-lib', '1.1.0'],
    ]);
    assert.deepStrictEqual(
      report.findings.find((f) => f.rule === 'lockfile-source-changed')?.message,
      'safe-lib@1.1.0 now comes from https://evil.example.com/safe-lib/-/safe-lib-1.1.0.tgz instead of https://registry.npmjs.org/safe-lib/-/safe-lib-1.1.0.tgz, with the version unchanged. ' +
        'Pointing an existing version at another tarball is how a dependency is swapped without a version bump, and reviewers rarely read lockfile URLs. ' +
        'Restore the previous entry, unless the project has moved to another registry.',
    );
    assert.equal(code, 1);
  });

  it('reports a version typed over in the lockfile: no range admits it, and its integrity is not that version\'s', async () => {
    const { code, report } = await json(repo, '--base', 'main', '--head', 'handedit');
    assert.deepStrictEqual(
      [code, changeSummary(report), findingSummary(report)],
      [
        1,
        [['downgraded', 'new-publisher', '2.1.1', '2.1.0', 'patch', true, 'dev', null]],
        // The downgrade itself is accepted in main's .dependency-risk.json; its URL still names 2.1.1's tarball.
        [
          ['integrity-mismatch', 'error', 'new-publisher', '2.1.0'],
          ['lockfile-inconsistent', 'warning', 'new-publisher', '2.1.0'],
          ['tarball-url-mismatch', 'error', 'new-publisher', '2.1.0'],
        ],
      ],
    );
    assert.deepStrictEqual(report.accepted.filter((a) => a.status === 'applied').map((a) => [a.package, a.rule, a.findings.map((f) => f.rule)]), [['new-publisher', 'downgrade', ['downgrade']]]);
  });

  it('reports an integrity the registry never published for a new version (and audit does too)', async () => {
    const { report } = await json(repo, '--base', 'main', '--head', 'integrity');
    assert.deepStrictEqual(
      findingSummary(report).filter(([rule]) => rule === 'integrity-mismatch'),
      [['integrity-mismatch', 'error', 'safe-lib', '1.2.0']],
    );
    assert.deepStrictEqual(findingSummary(report).filter(([rule]) => rule === 'lockfile-integrity-changed'), []);
    const clone = join(home, 'integrity-clone');
    git(home, 'clone', '-q', '--branch', 'integrity', repo, clone);
    let stdout = '';
    await run(['audit', clone, '--now', NOW, '--format', 'json', '--refresh'], {
      stdout: (text: string) => (stdout += text),
      stderr: () => undefined,
      env: { ...env, DEPENDENCY_RISK_CACHE_DIR: join(home, 'cache') },
      cwd: clone,
      platform: 'linux',
      homedir: home,
    });
    const audit = JSON.parse(stdout) as JsonReport;
    assert.deepStrictEqual(audit.findings.filter((f) => f.rule === 'integrity-mismatch').map((f) => [f.package, f.version, f.location?.file]), [['safe-lib', '1.2.0', 'package-lock.json']]);
  });

  it('takes the policy and the registry from the base revision when the change weakens them with its risky versions', async () => {
    const { code, report } = await json(repo, '--base', 'main', '--head', 'policy');
    assert.deepStrictEqual(
      report.findings.filter((f) => f.rule === 'policy-weakened' || f.rule === 'fresh-release').map((f) => [f.rule, f.severity, f.package, f.version]),
      [
        ['fresh-release', 'warning', 'evil-patch', '4.1.2'],
        ['policy-weakened', 'error', 'evil-patch', '4.1.2'],
        ['fresh-release', 'warning', 'lost-provenance', '3.1.2'],
        ['policy-weakened', 'warning', '.npmrc', ''],
        ['policy-weakened', 'error', '.npmrc', ''],
      ],
    );
    assert.deepStrictEqual(
      report.configChanges.map((c) => [c.file, c.setting, c.weakens]),
      [
        ['.npmrc', 'minimum release age', true],
        ['.npmrc', 'registry', true],
        ['.npmrc', 'release-age exclusion', true],
      ],
    );
    // The new registry is reported, never contacted; the base revision's registry answered.
    assert.deepStrictEqual([code, other.requests.length, registry.requests.length > 0], [1, 0, true]);
  });

  it('says so, exits 0 and asks nothing when no dependency file changed', async () => {
    const { code, stdout, stderr } = await diff(repo, '--base', 'main', '--head', 'docs');
    assert.deepStrictEqual(
      [code, stdout, stderr, registry.requests.length],
      [0, `Dependency changes: main (${mainCommit.slice(0, 12)}) → docs (${git(repo, 'rev-parse', 'docs').slice(0, 12)})\nNo dependency file changed; nothing to review.\n`, '', 0],
    );
  });

  it('reviews the index with --staged and the working tree with --worktree, before any commit', async () => {
    const clone = join(home, 'local-clone');
    git(home, 'clone', '-q', '--branch', 'main', repo, clone);
    write(clone, 'package.json', read(repo, 'package.json'));
    write(clone, 'package-lock.json', read(repo, 'package-lock.json'));
    const worktree = await json(clone, '--worktree');
    assert.deepStrictEqual([worktree.report.head.kind, worktree.report.changes.length, worktree.report.changedFiles], ['worktree', 5, ['package-lock.json', 'package.json']]);
    const nothingStaged = await json(clone, '--staged');
    assert.deepStrictEqual([nothingStaged.code, nothingStaged.report.changedFiles], [0, []]);
    git(clone, 'add', 'package.json', 'package-lock.json');
    const staged = await json(clone, '--staged');
    assert.deepStrictEqual([staged.report.head.kind, changeSummary(staged.report)], ['index', changeSummary(worktree.report)]);
  });

  it('names the workspace that brings each change in, expands workspace globs at each revision, and focuses on one workspace', async () => {
    const mono = join(home, 'mono');
    mkdirSync(join(mono, 'packages', 'web'), { recursive: true });
    mkdirSync(join(mono, 'packages', 'api'), { recursive: true });
    git(mono, 'init', '-q', '-b', 'main');
    write(mono, 'package.json', `${JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }, null, 2)}\n`);
    write(mono, 'packages/web/package.json', `${JSON.stringify({ name: 'web', version: '1.0.0', dependencies: { 'safe-lib': '1.1.0' } }, null, 2)}\n`);
    write(mono, 'packages/api/package.json', `${JSON.stringify({ name: 'api', version: '1.0.0', dependencies: { 'new-publisher': '2.1.1' } }, null, 2)}\n`);
    await npmLock(mono);
    commitAll(mono, 'main');
    write(mono, 'packages/web/package.json', `${JSON.stringify({ name: 'web', version: '1.0.0', dependencies: { 'safe-lib': '1.2.0' } }, null, 2)}\n`);
    write(mono, 'packages/api/package.json', `${JSON.stringify({ name: 'api', version: '1.0.0', dependencies: { 'new-publisher': '2.1.0' } }, null, 2)}\n`);
    await npmLock(mono);
    commitAll(mono, 'update both');
    // The working tree no longer matches the base revision's folders: the globs must be expanded from git, not from disk.
    rmSync(join(mono, 'packages', 'api'), { recursive: true, force: true });
    const whole = await json(mono, '--base', 'HEAD~1', '--head', 'HEAD');
    const workspaceOf = (report: JsonReport) => report.changes.map((c) => [c.kind, c.name, (c as { workspace?: string }).workspace ?? null]);
    assert.deepStrictEqual(workspaceOf(whole.report), [
      ['downgraded', 'new-publisher', 'packages/api'],
      ['upgraded', 'safe-lib', 'packages/web'],
    ]);
    const web = await json(join(mono, 'packages', 'web'), '--base', 'HEAD~1', '--head', 'HEAD');
    assert.deepStrictEqual([workspaceOf(web.report), web.report.findings.map((f) => f.rule)], [[['upgraded', 'safe-lib', 'packages/web']], []]);
  });

  it('reports a changed bun.lockb as unreadable: incomplete, exit 3, no request', async () => {
    const bun = join(home, 'bun-repo');
    mkdirSync(bun);
    git(bun, 'init', '-q', '-b', 'main');
    write(bun, 'package.json', manifest({ 'safe-lib': '1.1.0' }));
    writeFileSync(join(bun, 'bun.lockb'), Buffer.from([0x23, 0x21, 0x2f, 0x75, 0x73, 0x72, 0x00, 0x01, 0xff]));
    commitAll(bun, 'main');
    writeFileSync(join(bun, 'bun.lockb'), Buffer.from([0x23, 0x21, 0x2f, 0x75, 0x73, 0x72, 0x00, 0x02, 0xfe]));
    commitAll(bun, 'update');
    const { code, report, stderr } = await json(bun, '--base', 'HEAD~1', '--head', 'HEAD');
    assert.deepStrictEqual(
      [code, report.incomplete, report.changes, report.lockfiles.map((l) => [l.file, l.manager, l.status, l.reason?.startsWith("bun.lockb is Bun's binary lockfile")]), registry.requests.length],
      [3, true, [], [['bun.lockb', 'bun', 'unreadable', true]], 0],
    );
    assert.match(stderr, /the review is incomplete/);
  });

  it('names fetch-depth when a shallow clone lacks the base commit (exit 2)', async () => {
    const shallow = join(home, 'shallow');
    git(home, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo}`, shallow);
    const { code, stdout, stderr } = await diff(shallow, '--base', mainCommit);
    assert.deepStrictEqual(
      [code, stdout, stderr],
      [
        2,
        '',
        `dependency-risk: error: The revision '${mainCommit}' is not in this clone, which is shallow. Fetch the history the comparison needs: in GitHub Actions set \`fetch-depth: 0\` on actions/checkout ` +
          '(or fetch the base branch with enough depth, e.g. `git fetch --deepen=100 origin <base>`), then run diff again.\n',
      ],
    );
  });

  it('refuses a revision that looks like an option, before git sees it (control: a valid ref works)', async () => {
    const refused = await diff(repo, '--base=--output=/tmp/x');
    const accepted = await diff(repo, '--base', 'feature');
    assert.deepStrictEqual(
      [refused.code, refused.stderr, accepted.code],
      [2, "dependency-risk: error: '--output=/tmp/x' is not a git revision diff accepts (a branch, tag, commit id, or HEAD~n).\n", 0],
    );
  });
});
