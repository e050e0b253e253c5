/** Runs `dependency-risk audit` end to end (real engine, fixture registry on 127.0.0.1) in each output format with --now fixed. */

import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../../src/cli/main';
import type { AuditReport } from '../../../src/core/types';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';

/** The fixture packuments' clock (test/fixtures/packuments/README.md). */
const NOW = '2025-10-05T12:00:00.000Z';

const MANIFEST = `{
  "name": "e2e-app",
  "version": "1.0.0",
  "dependencies": {
    "evil-patch": "4.1.2",
    "safe-lib": "^1.0.0"
  }
}
`;

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('dependency-risk audit end to end', () => {
  let registry: FixtureRegistry;
  let home: string;
  let project: string;

  before(async () => {
    registry = await startFixtureRegistry();
    home = mkdtempSync(join(tmpdir(), 'dr-cli-e2e-'));
    project = join(home, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), MANIFEST);
  });

  after(async () => {
    await registry.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function audit(...flags: string[]): Promise<Outcome> {
    let stdout = '';
    let stderr = '';
    const code = await run(['audit', project, '--registry', registry.url, '--now', NOW, '--refresh', ...flags], {
      stdout: (text: string) => (stdout += text),
      stderr: (text: string) => (stderr += text),
      // No user .npmrc and a private cache: the test sees only the fixture registry.
      env: { npm_config_userconfig: join(home, 'npmrc'), DEPENDENCY_RISK_CACHE_DIR: join(home, 'cache') },
      cwd: home,
      platform: 'linux',
      homedir: home,
    });
    return { code, stdout, stderr };
  }

  it('prints the text report grouped by package, most severe first, and exits 1 for an error finding', async () => {
    const outcome = await audit();
    const lines = outcome.stdout.split('\n');
    assert.deepEqual(
      [outcome.code, outcome.stderr, lines[0], lines.filter((line) => /^ {2}(error|warning|info) /.test(line)).map((line) => line.split(/ +/).slice(1, 3))],
      [
        1,
        '',
        'evil-patch@4.1.2',
        [
          ['error', 'install-script-added'],
          ['warning', 'fresh-release'],
        ],
      ],
    );
    assert.equal(lines.filter((line) => line === '           package.json:5:19').length, 2);
    assert.equal(
      outcome.stdout.endsWith(
        '\n\nLockfile: none (checked the versions package.json admits). Policy: minimum release age 7 days (default).\n2 findings (1 error, 1 warning, 0 info) in 1 package; 2 packages checked, 0 not checked.\n',
      ),
      true,
      outcome.stdout,
    );
  });

  it('writes a JSON report with sorted findings, coverage and the fixed clock, and only asks the fixture registry', async () => {
    registry.resetStats();
    const outcome = await audit('--format', 'json');
    const report = JSON.parse(outcome.stdout) as AuditReport;
    assert.deepEqual(
      {
        code: outcome.code,
        stderr: outcome.stderr,
        now: report.now,
        findings: report.findings.map((f) => [f.rule, f.severity, f.package, f.version, f.location?.file, f.location?.line, f.location?.column]),
        packages: report.packages.map((p) => [p.name, p.version, p.direct, p.checked]),
        errors: report.errors,
        requested: registry.requests.map((request) => request.name).sort(),
      },
      {
        code: 1,
        stderr: '',
        now: NOW,
        findings: [
          ['fresh-release', 'warning', 'evil-patch', '4.1.2', 'package.json', 5, 19],
          ['install-script-added', 'error', 'evil-patch', '4.1.2', 'package.json', 5, 19],
        ],
        packages: [
          ['evil-patch', '4.1.2', true, true],
          ['safe-lib', '1.2.0', true, true],
        ],
        errors: [],
        requested: ['evil-patch', 'safe-lib'],
      },
    );
  });

  it('writes SARIF with the engine’s rule metadata and package.json regions', async () => {
    const outcome = await audit('--format', 'sarif');
    const log = JSON.parse(outcome.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }[] } };
        results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: object } }[] }[];
      }[];
    };
    const run0 = log.runs[0]!;
    assert.equal(outcome.code, 1);
    assert.deepEqual(
      run0.tool.driver.rules.map((rule) => [rule.id, rule.defaultConfiguration.level, rule.shortDescription.text.startsWith('Dependency Risk rule')]),
      [
        ['fresh-release', 'warning', false],
        ['install-script-added', 'error', false],
      ],
    );
    assert.deepEqual(
      run0.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region]),
      [
        ['fresh-release', 'warning', 'package.json', { startLine: 5, startColumn: 19, endColumn: 26 }],
        ['install-script-added', 'error', 'package.json', { startLine: 5, startColumn: 19, endColumn: 26 }],
      ],
    );
  });

  it('exits 0 with --fail-on never, and with --include dev when only prod dependencies are risky', async () => {
    assert.equal((await audit('--fail-on', 'never')).code, 0);
    const devOnly = await audit('--include', 'dev', '--format', 'json');
    assert.deepEqual([devOnly.code, (JSON.parse(devOnly.stdout) as AuditReport).findings], [0, []]);
  });

  it('exits 2 for a folder without package.json, naming the folder on stderr', async () => {
    let stderr = '';
    const code = await run(['audit', join(home, 'missing'), '--now', NOW], {
      stdout: () => assert.fail('nothing belongs on stdout'),
      stderr: (text: string) => (stderr += text),
      env: { npm_config_userconfig: join(home, 'npmrc'), DEPENDENCY_RISK_CACHE_DIR: join(home, 'cache') },
      cwd: home,
    });
    assert.equal(code, 2);
    assert.equal(stderr.startsWith(`dependency-risk: error: ${join(home, 'missing')} `) && stderr.endsWith('\n'), true, stderr);
    assert.equal(stderr.split('\n').length, 2, stderr);
  });
});
