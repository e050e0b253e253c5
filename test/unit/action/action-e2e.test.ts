/**
 * Runs the bundled Action (dist/action.js, built here by esbuild.mjs) end to end: a real git repository
 * whose lockfiles the real npm wrote against the loopback fixture registry, a recorded pull_request
 * event, and a loopback server standing in for the GitHub REST API (issue 9).
 */

import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { isolatedGitEnv } from '../../support/git-env';

const ROOT = join(__dirname, '..', '..', '..');
const NOW = '2025-10-05T12:00:00.000Z';
const TOKEN = 'ghs_loopbackToken0123456789';
const MARKER = '<!-- dependency-risk:pull-request-comment blocking=1 findings=2 -->';

interface ApiRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
  readonly body?: { body?: string };
}

describe('GitHub Action end to end (bundled entry, real git and npm, loopback GitHub API)', function () {
  this.timeout(120_000);

  let registry: FixtureRegistry;
  let github: Server;
  let apiUrl: string;
  const apiRequests: ApiRequest[] = [];
  /** The comments the fake API holds for pull request 7. */
  const comments: { id: number; body: string }[] = [];
  let home: string;
  let repo: string;
  let env: Record<string, string>;
  let baseSha: string;

  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' }).trim();
  const write = (file: string, text: string): void => writeFileSync(join(repo, file), text);
  const manifest = (dependencies: Record<string, string>) => `${JSON.stringify({ name: 'action-app', version: '1.0.0', private: true, dependencies }, null, 2)}\n`;
  const npmLock = () => promisify(execFile)('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', `--registry=${registry.url}`], { cwd: repo, env });

  before(async () => {
    await promisify(execFile)(process.execPath, ['esbuild.mjs'], { cwd: ROOT });
    registry = await startFixtureRegistry();
    github = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        const body = text === '' ? undefined : (JSON.parse(text) as { body?: string });
        apiRequests.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), ...(body ? { body } : {}) });
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET' && req.url?.startsWith('/repos/octo/app/issues/7/comments')) return res.end(JSON.stringify([{ id: 99, body: 'Thanks! @first-timer' }, ...comments]));
        if (req.method === 'POST' && req.url === '/repos/octo/app/issues/7/comments') {
          comments.push({ id: 1, body: body?.body ?? '' });
          res.statusCode = 201;
          return res.end(JSON.stringify(comments[0]));
        }
        if (req.method === 'PATCH' && req.url === '/repos/octo/app/issues/comments/1') {
          comments[0] = { id: 1, body: body?.body ?? '' };
          return res.end(JSON.stringify(comments[0]));
        }
        res.statusCode = 404;
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => github.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(github.address() as AddressInfo).port}`;

    home = mkdtempSync(join(tmpdir(), 'dr-action-e2e-'));
    repo = join(home, 'repo');
    mkdirSync(repo);
    env = isolatedGitEnv(home);
    git('init', '-q', '-b', 'main');
    write('package.json', manifest({ 'safe-lib': '1.1.0' }));
    write('.npmrc', `registry=${registry.url}\nmin-release-age=7\n`);
    mkdirSync(join(repo, '.github'));
    write('.github/dependency-risk.json', '{ "comment": "always" }\n');
    await npmLock();
    git('add', '-A');
    git('commit', '-q', '-m', 'main');
    baseSha = git('rev-parse', 'HEAD');
    // The pull request: app-framework brings in evil-patch 4.1.2 (a new postinstall, 3 h old); it also tries to switch its own comment off.
    git('checkout', '-q', '-b', 'feature');
    write('package.json', manifest({ 'safe-lib': '1.1.0', 'app-framework': '^3.0.0' }));
    write('.github/dependency-risk.json', '{ "comment": "never", "fail-on": "never" }\n');
    await npmLock();
    git('add', '-A');
    git('commit', '-q', '-m', 'feature');
    const event = readFileSync(join(ROOT, 'test', 'fixtures', 'action', 'pull-request-event.json'), 'utf8').replace('BASE_SHA', baseSha).replace('HEAD_SHA', git('rev-parse', 'HEAD'));
    writeFileSync(join(home, 'event.json'), event);
  });

  after(async () => {
    await registry.close();
    await new Promise((resolve) => github.close(resolve));
    rmSync(home, { recursive: true, force: true });
  });

  async function runEntry(run: string): Promise<{ code: number; stdout: string; summary: string; outputs: string }> {
    const files = { summary: join(home, `summary-${run}.md`), outputs: join(home, `outputs-${run}.txt`) };
    writeFileSync(files.summary, '');
    writeFileSync(files.outputs, '');
    const child = execFile(process.execPath, [join(ROOT, 'dist', 'action.js')], {
      cwd: repo,
      env: {
        ...env,
        GITHUB_WORKSPACE: repo,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: join(home, 'event.json'),
        GITHUB_REPOSITORY: 'octo/app',
        GITHUB_API_URL: apiUrl,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_OUTPUT: files.outputs,
        DEPENDENCY_RISK_CACHE_DIR: join(home, 'cache'),
        'INPUT_REPO-TOKEN': TOKEN,
        'INPUT_CONFIG-FILE': '.github/dependency-risk.json',
        'INPUT_SARIF-FILE': `results-${run}.sarif`,
        INPUT_NOW: NOW,
      },
    });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    return { code, stdout, summary: readFileSync(files.summary, 'utf8'), outputs: readFileSync(files.outputs, 'utf8') };
  }

  it('posts one sticky comment, writes the summary, annotations, outputs and SARIF, and fails on the blocking finding; the base revision\'s config applies', async () => {
    const first = await runEntry('1');
    assert.equal(first.code, 1, first.stdout);
    const lock = 'package-lock.json';
    assert.match(first.stdout, new RegExp(`^::error file=${lock},line=\\d+,col=\\d+,title=Dependency Risk%3A install-script-added::evil-patch@4\\.1\\.2 `, 'm'));
    assert.match(first.stdout, /^::warning file=package-lock\.json,line=\d+,col=\d+,title=Dependency Risk%3A fresh-release::/m);

    const sarif = JSON.parse(readFileSync(join(repo, 'results-1.sarif'), 'utf8')) as { runs: { results: { ruleId: string; partialFingerprints: Record<string, string>; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const results = sarif.runs[0]!.results;
    assert.deepStrictEqual(
      results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.artifactLocation.uri, Object.keys(r.partialFingerprints)]).sort(),
      [['fresh-release', lock, ['dependencyRisk/v1']], ['install-script-added', lock, ['dependencyRisk/v1']]],
    );
    assert.ok(first.summary.startsWith('## Dependency Risk\n\n**1 blocking finding** in'), first.summary);
    assert.ok(first.summary.includes('> [!CAUTION]\n> **`evil-patch@4.1.2`** · `install-script-added` · error'), first.summary);

    const posted = apiRequests.filter((r) => r.method !== 'GET');
    assert.deepStrictEqual(
      posted.map((r) => [r.method, r.url, r.authorization]),
      [['POST', '/repos/octo/app/issues/7/comments', `Bearer ${TOKEN}`]],
    );
    const body = posted[0]!.body!.body!;
    assert.ok(body.startsWith(`${MARKER}\n## Dependency Risk\n`), body);
    assert.ok(first.outputs.includes(`comment-content<<DEPENDENCY_RISK_EOF\n${body}\nDEPENDENCY_RISK_EOF\n`));
    assert.ok(first.outputs.includes('findings<<DEPENDENCY_RISK_EOF\n2\nDEPENDENCY_RISK_EOF\n') && first.outputs.includes('incomplete<<DEPENDENCY_RISK_EOF\nfalse\n'), first.outputs);
    // The GitHub token goes to the API only, never to the package registry.
    assert.deepStrictEqual(registry.requests.filter((r) => JSON.stringify(r.headers).includes(TOKEN)), []);
  });

  it('leaves the sticky comment alone when its content is unchanged (control: the first run posted it)', async () => {
    const before = apiRequests.length;
    const second = await runEntry('2');
    assert.equal(second.code, 1, second.stdout);
    assert.deepStrictEqual(
      apiRequests.slice(before).map((r) => [r.method, r.url]),
      [['GET', '/repos/octo/app/issues/7/comments?per_page=100&page=1']],
    );
    assert.equal(comments.length, 1);
  });
});
