/** Tests `run`: help, version, usage errors, exit codes per --fail-on, stdout/stderr separation, colour and engine options. */

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AuditProject } from '../../../src/cli/audit';
import { HELP_TEXT } from '../../../src/cli/help';
import { run, type AuditCommandDeps, type CliIo } from '../../../src/cli/main';
import type { AuditOptions } from '../../../src/core/audit';
import type { AuditReport, Finding } from '../../../src/core/types';
import { cleanReport, fatalReport, freshRelease, hostile, installScriptAdded, sampleReport } from './report-fixture';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Every write in order, tagged with its stream. */
  readonly log: readonly string[];
  readonly calls: readonly AuditOptions[];
}

async function cli(argv: string[], options: { report?: AuditReport; io?: Partial<CliIo>; deps?: AuditCommandDeps } = {}): Promise<Outcome> {
  const log: string[] = [];
  const calls: AuditOptions[] = [];
  const auditProject: AuditProject = async (auditOptions) => {
    calls.push(auditOptions);
    return options.report ?? cleanReport;
  };
  const io: CliIo = {
    stdout: (text: string) => log.push(`out:${text}`),
    stderr: { write: (text: string) => log.push(`err:${text}`) },
    env: {},
    cwd: '/work',
    platform: 'linux',
    homedir: '/home/u',
    ...options.io,
  };
  const code = await run(argv, io, { auditProject, rules: [], ...options.deps });
  const of = (prefix: string): string => log.filter((entry) => entry.startsWith(prefix)).map((entry) => entry.slice(4)).join('');
  return { code, stdout: of('out:'), stderr: of('err:'), log, calls };
}

function reportWith(findings: Finding[]): AuditReport {
  return { ...cleanReport, findings };
}

describe('run', () => {
  it('prints help with the exit codes on stdout and exits 0', async () => {
    const outcome = await cli(['--help']);
    assert.deepEqual([outcome.code, outcome.stdout, outcome.stderr], [0, HELP_TEXT, '']);
    assert.match(HELP_TEXT, /Exit codes:\n {2}0 {4}No finding reaches --fail-on\n {2}1 {4}At least one finding reaches --fail-on\n {2}2 {4}Usage/);
  });

  it('prints the package.json version', async () => {
    const outcome = await cli(['--version']);
    assert.deepEqual([outcome.code, outcome.stdout, outcome.stderr], [0, `${VERSION}\n`, '']);
  });

  it('exits 2 on a usage error with the message and a hint on stderr, and runs no audit', async () => {
    const outcome = await cli(['audit', '--format', 'xml']);
    assert.deepEqual([outcome.code, outcome.stdout, outcome.stderr, outcome.calls.length], [
      2,
      '',
      "dependency-risk: --format must be one of text, json, sarif; got 'xml'.\nRun 'dependency-risk --help' for usage.\n",
      0,
    ]);
  });

  const exitCodes: [string, Finding[], string[], number][] = [
    ['an error finding fails the default --fail-on error', [installScriptAdded], [], 1],
    ['a warning does not fail --fail-on error', [freshRelease], [], 0],
    ['a warning fails --fail-on warning', [freshRelease], ['--fail-on', 'warning'], 1],
    ['an error fails --fail-on warning', [installScriptAdded], ['--fail-on', 'warning'], 1],
    ['info never fails --fail-on warning', [hostile], ['--fail-on', 'warning'], 0],
    ['nothing fails --fail-on never', [installScriptAdded, freshRelease], ['--fail-on', 'never'], 0],
    ['no findings exit 0', [], ['--fail-on', 'warning'], 0],
  ];
  for (const [name, findings, flags, expected] of exitCodes) {
    it(`exit code: ${name}`, async () => {
      for (const format of ['text', 'json', 'sarif']) {
        const outcome = await cli(['audit', '--format', format, ...flags], { report: reportWith(findings) });
        assert.equal(outcome.code, expected, format);
      }
    });
  }

  it('exits 2 on a fatal engine error: text prints nothing on stdout, the error on stderr', async () => {
    const outcome = await cli(['audit', 'empty'], { report: fatalReport });
    assert.deepEqual([outcome.code, outcome.stdout, outcome.stderr], [
      2,
      '',
      'dependency-risk: error: /work/empty has no readable package.json: nothing to audit.\n',
    ]);
  });

  it('exits 2 on a fatal engine error and still writes a valid JSON report with the error in it', async () => {
    const outcome = await cli(['audit', '--format', 'json'], { report: fatalReport });
    assert.equal(outcome.code, 2);
    assert.deepEqual((JSON.parse(outcome.stdout) as AuditReport).errors, fatalReport.errors);
    assert.equal(outcome.stderr, 'dependency-risk: error: /work/empty has no readable package.json: nothing to audit.\n');
  });

  it('writes only the JSON report on stdout and the report’s errors as warnings on stderr', async () => {
    const outcome = await cli(['audit', '--format', 'json'], { report: sampleReport });
    assert.equal((JSON.parse(outcome.stdout) as AuditReport).findings.length, 4);
    assert.equal(
      outcome.stderr,
      'dependency-risk: warning: left-pad@1.3.0 was not found in the registry (404).\n' +
        'dependency-risk: warning: .npmrc: min-release-age is "soon", not a number of days; using 7.\n',
    );
  });

  it('caps the errors repeated on stderr at 20', async () => {
    const errors = Array.from({ length: 25 }, (_, i) => ({ package: `p${i}`, kind: 'timeout', message: `p${i} timed out.` }));
    const outcome = await cli(['audit', '--format', 'sarif'], { report: { ...cleanReport, errors } });
    const lines = outcome.stderr.trimEnd().split('\n');
    assert.deepEqual([lines.length, lines[20]], [21, 'dependency-risk: warning: 5 more problems; see "errors" in the report.']);
  });

  it('ends a text report with one warning line on stderr when something was not checked', async () => {
    const outcome = await cli(['audit'], { report: sampleReport });
    assert.match(outcome.stdout, /^chalk@5\.6\.1\n/);
    assert.equal(outcome.stderr, 'dependency-risk: warning: 2 packages not checked, 2 problems reported; see "Not checked" in the report.\n');
  });

  it('writes no warning for a fully checked project (control)', async () => {
    assert.equal((await cli(['audit'], { report: cleanReport })).stderr, '');
  });

  const colour: [string, string[], Partial<CliIo>, boolean][] = [
    ['a TTY gets colour', [], { stdoutIsTTY: true, env: { TERM: 'xterm' } }, true],
    ['NO_COLOR turns it off on a TTY', [], { stdoutIsTTY: true, env: { NO_COLOR: '1' } }, false],
    ['--color wins over NO_COLOR', ['--color'], { env: { NO_COLOR: '1' } }, true],
    ['--no-color wins on a TTY', ['--no-color'], { stdoutIsTTY: true }, false],
    ['FORCE_COLOR colours a pipe', [], { env: { FORCE_COLOR: '1' } }, true],
    ['a pipe gets none', [], {}, false],
    ['json is never coloured', ['--format', 'json', '--color'], { stdoutIsTTY: true }, false],
    ['sarif is never coloured', ['--format', 'sarif', '--color'], { stdoutIsTTY: true }, false],
  ];
  for (const [name, flags, io, expected] of colour) {
    it(`colour: ${name}`, async () => {
      const outcome = await cli(['audit', ...flags], { report: sampleReport, io });
      assert.equal(/\u001b\[\d+m/.test(outcome.stdout), expected);
      assert.equal(outcome.stdout.includes('\u001b[2J'), false);
    });
  }

  it('hands the engine the resolved folder, the flags, the env and the cache folder', async () => {
    const signal = new AbortController().signal;
    const env = { DEPENDENCY_RISK_CACHE_DIR: '/cache' };
    const outcome = await cli(
      ['audit', 'proj', '--now', '2025-08-04', '--min-age', '3', '--registry', 'http://127.0.0.1:9/', '--offline', '--include', 'prod', '--fix'],
      { io: { env, signal } },
    );
    const { onProgress, ...options } = outcome.calls[0]!;
    assert.equal(typeof onProgress, 'function');
    assert.deepEqual(options, {
      dir: '/work/proj',
      now: new Date('2025-08-04T00:00:00.000Z'),
      minAgeDays: 3,
      include: ['prod'],
      registry: 'http://127.0.0.1:9/',
      offline: true,
      refresh: false,
      fix: true,
      cacheDir: '/cache',
      env,
      trustProject: true,
      signal,
    });
  });

  it('uses the injected clock without --now, and the platform cache folder without an override', async () => {
    const now = new Date('2030-01-01T00:00:00.000Z');
    const outcome = await cli(['audit'], { io: { now: () => now, env: { XDG_CACHE_HOME: '/xdg' } } });
    assert.deepEqual([outcome.calls[0]!.dir, outcome.calls[0]!.now, outcome.calls[0]!.cacheDir], ['/work', now, '/xdg/dependency-risk']);
  });

  it('draws progress on a terminal stderr and erases it before the report is written', async () => {
    const slowAudit: AuditProject = async (options) => {
      options.onProgress?.({ phase: 'fetching', done: 1, total: 2 });
      return cleanReport;
    };
    const outcome = await cli(['audit'], { io: { stderrIsTTY: true }, deps: { auditProject: slowAudit } });
    assert.deepEqual(outcome.log, [
      'err:\rDependency Risk: fetching 1/2 [##########----------]\u001b[K',
      'err:\r\u001b[K',
      'out:Lockfile: none (checked the versions package.json admits). Policy: minimum release age 7 days (default).\nNo findings; 4 packages checked, 0 not checked.\n',
    ]);
  });

  it('draws no progress when CI is set, even on a terminal (control)', async () => {
    const chatty: AuditProject = async (options) => {
      options.onProgress?.({ phase: 'fetching', done: 1, total: 2 });
      return cleanReport;
    };
    const outcome = await cli(['audit'], { io: { stderrIsTTY: true, env: { CI: 'true' } }, deps: { auditProject: chatty } });
    assert.equal(outcome.stderr, '');
  });

  it('turns an unexpected exception into exit 2 with the stack on stderr', async () => {
    const broken: AuditProject = async () => {
      throw new Error('boom');
    };
    const outcome = await cli(['audit'], { deps: { auditProject: broken } });
    assert.equal(outcome.code, 2);
    assert.equal(outcome.stdout, '');
    assert.match(outcome.stderr, /^dependency-risk: internal error; please report it with the output below\.\nError: boom\n {4}at /);
  });

  it('exits 130 when interrupted, erasing the progress line', async () => {
    const controller = new AbortController();
    const interrupted: AuditProject = async (options) => {
      options.onProgress?.({ phase: 'fetching', done: 0, total: 1 });
      controller.abort();
      throw new DOMException('The operation was aborted.', 'AbortError');
    };
    const outcome = await cli(['audit'], { io: { signal: controller.signal, stderrIsTTY: true }, deps: { auditProject: interrupted } });
    assert.equal(outcome.code, 130);
    assert.deepEqual(outcome.log.slice(1), ['err:\r\u001b[K', 'err:dependency-risk: interrupted.\n']);
  });

  it('exits 130 without printing a partial report when the engine returns after an interruption', async () => {
    const controller = new AbortController();
    const partial: AuditProject = async () => {
      controller.abort();
      return sampleReport;
    };
    const outcome = await cli(['audit', '--format', 'json'], { io: { signal: controller.signal }, deps: { auditProject: partial } });
    assert.deepEqual([outcome.code, outcome.stdout, outcome.stderr], [130, '', 'dependency-risk: interrupted.\n']);
  });

  it('uses the engine’s rule metadata in SARIF when none is injected', async () => {
    const outcome = await cli(['audit', '--format', 'sarif'], { report: reportWith([freshRelease]), deps: { rules: undefined } });
    const log = JSON.parse(outcome.stdout) as { runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } } }[] };
    const rule = log.runs[0]!.tool.driver.rules[0]!;
    assert.equal(rule.id, 'fresh-release');
    assert.notEqual(rule.shortDescription.text, 'Dependency Risk rule fresh-release.');
  });
});
