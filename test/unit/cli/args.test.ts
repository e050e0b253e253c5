/** Tests command-line parsing: defaults, every option, and the usage errors that exit 2. */

import * as assert from 'node:assert/strict';
import { parseCommandLine, type AuditArgs, type DiffArgs, type ParseResult } from '../../../src/cli/args';

const DEFAULTS: AuditArgs = {
  folder: '.',
  format: 'text',
  failOn: 'error',
  offline: false,
  refresh: false,
  include: ['prod', 'dev', 'optional', 'peer'],
  fix: false,
};

function audit(args: Partial<AuditArgs>): ParseResult {
  return { ok: true, command: { kind: 'audit', args: { ...DEFAULTS, ...args } } };
}

const DIFF_DEFAULTS: DiffArgs = { folder: '.', mode: 'merge-base', format: 'text', failOn: 'error', offline: false, refresh: false, include: ['prod', 'dev', 'optional', 'peer'] };

function diff(args: Partial<DiffArgs>): ParseResult {
  return { ok: true, command: { kind: 'diff', args: { ...DIFF_DEFAULTS, ...args } } };
}

function usageError(message: string): ParseResult {
  return { ok: false, message };
}

describe('parseCommandLine', () => {
  const valid: [string[], ParseResult][] = [
    [['audit'], audit({})],
    [['audit', 'some/folder'], audit({ folder: 'some/folder' })],
    [['audit', '--format', 'json'], audit({ format: 'json' })],
    [['audit', '--format=sarif', '.'], audit({ format: 'sarif' })],
    [['audit', '--fail-on', 'warning'], audit({ failOn: 'warning' })],
    [['audit', '--fail-on', 'never'], audit({ failOn: 'never' })],
    [['audit', '--now', '2025-08-04'], audit({ now: new Date('2025-08-04T00:00:00.000Z') })],
    [['audit', '--now', '2025-08-04T04:18:16.197Z'], audit({ now: new Date('2025-08-04T04:18:16.197Z') })],
    [['audit', '--now', '2025-08-04T04:18:16.197000+00:00'], audit({ now: new Date('2025-08-04T04:18:16.197Z') })],
    [['audit', '--now', '2025-08-04T06:18+02:00'], audit({ now: new Date('2025-08-04T04:18:00.000Z') })],
    // A time without a zone is UTC, never the machine's local time: --now must mean the same moment everywhere.
    [['audit', '--now', '2025-08-04T04:18'], audit({ now: new Date('2025-08-04T04:18:00.000Z') })],
    [['audit', '--min-age', '0'], audit({ minAgeDays: 0 })],
    [['audit', '--min-age', '3.5'], audit({ minAgeDays: 3.5 })],
    [['audit', '--registry', 'https://npm.example.com/repo/'], audit({ registry: 'https://npm.example.com/repo/' })],
    [['audit', '--registry', 'http://127.0.0.1:4873'], audit({ registry: 'http://127.0.0.1:4873' })],
    [['audit', '--offline'], audit({ offline: true })],
    [['audit', '--refresh'], audit({ refresh: true })],
    [['audit', '--include', 'dev,prod'], audit({ include: ['prod', 'dev'] })],
    [['audit', '--include', ' peer , peer '], audit({ include: ['peer'] })],
    [['audit', '--fix'], audit({ fix: true })],
    [['audit', '--color'], audit({ color: true })],
    [['audit', '--no-color'], audit({ color: false })],
    [['audit', '--color', '--no-color'], audit({ color: false })],
    [['audit', '--help'], { ok: true, command: { kind: 'help' } }],
    [['-h'], { ok: true, command: { kind: 'help' } }],
    [['--version'], { ok: true, command: { kind: 'version' } }],
    [['audit', '--', '--odd-folder-name'], audit({ folder: '--odd-folder-name' })],
    [['diff', '--base', 'main'], diff({ base: 'main' })],
    [['diff', 'packages/web', '--base', 'origin/main', '--head', 'HEAD~1'], diff({ folder: 'packages/web', base: 'origin/main', head: 'HEAD~1', mode: 'commits' })],
    [['diff', '--staged'], diff({ mode: 'staged' })],
    [['diff', '--base', 'main', '--worktree', '--format', 'markdown', '--fail-on', 'warning'], diff({ base: 'main', mode: 'worktree', format: 'markdown', failOn: 'warning' })],
    [['diff', '--base', 'v1.0.0', '--format=sarif', '--offline', '--now', '2025-08-04'], diff({ base: 'v1.0.0', format: 'sarif', offline: true, now: new Date('2025-08-04T00:00:00.000Z') })],
    [['diff', '--base', 'main', '--contents'], diff({ base: 'main', contents: 'flagged' })],
    [['diff', '--base', 'main', '--contents=all', '--format', 'json'], diff({ base: 'main', contents: 'all', format: 'json' })],
  ];
  for (const [argv, expected] of valid) {
    it(`accepts ${JSON.stringify(argv)}`, () => {
      assert.deepEqual(parseCommandLine(argv), expected);
    });
  }

  const invalid: [string[], string][] = [
    [[], 'No command given. Try `dependency-risk audit [folder]`.'],
    [['inspect'], "'inspect' takes one <name>@<version>, but 0 were given."],
    [['scan'], "Unknown command 'scan'. The available commands are 'audit', 'diff' and 'inspect'."],
    [['diff'], "'diff' needs --base <ref> (e.g. --base main), or --staged / --worktree to compare HEAD with the index or the working tree."],
    [['diff', '--head', 'HEAD'], "'diff' needs --base <ref> (e.g. --base main), or --staged / --worktree to compare HEAD with the index or the working tree."],
    [['diff', '--base', 'main', '--staged', '--worktree'], 'Use one of --head <ref>, --staged or --worktree: they name the same side of the comparison.'],
    [['diff', '--base', ''], '--base needs a git revision, such as main or HEAD~1.'],
    [['diff', '--base', 'main', '--fix'], "--fix does not apply to 'diff'."],
    [['diff', '--base', 'main', '--contents', '--offline'], '--contents downloads the published tarballs, so it cannot be used with --offline.'],
    [['diff', '--base', 'main', '--contents=every'], "--contents must be one of flagged, all; got 'every'."],
    [['diff', '--base', 'main', 'a', 'b'], "'diff' takes one folder, but 2 were given: a b."],
    [['audit', '--format', 'markdown'], "--format must be one of text, json, sarif; got 'markdown'."],
    [['audit', '--base', 'main'], '--base belongs to `diff`: dependency-risk diff [folder] --base <ref>.'],
    [['audit', '--against', '1.0.0'], '--against belongs to `inspect`: dependency-risk inspect <name>@<version> --against <version>.'],
    [['audit', '--contents=some'], "--contents must be one of flagged, all; got 'some'."],
    [['inspect', 'chalk@5.6.1', '--offline'], "--offline does not apply to 'inspect'."],
    [['audit', 'a', 'b'], "'audit' takes one folder, but 2 were given: a b."],
    [['audit', '--format', 'xml'], "--format must be one of text, json, sarif; got 'xml'."],
    [['audit', '--fail-on', 'info'], "--fail-on must be one of error, warning, never; got 'info'."],
    [['audit', '--now', 'yesterday'], "--now must be an ISO 8601 date such as 2025-08-04 or 2025-08-04T04:18:16Z; got 'yesterday'."],
    [['audit', '--now', '2025-02-30'], "--now must be an ISO 8601 date such as 2025-08-04 or 2025-08-04T04:18:16Z; got '2025-02-30'."],
    [['audit', '--now', '1754281096'], "--now must be an ISO 8601 date such as 2025-08-04 or 2025-08-04T04:18:16Z; got '1754281096'."],
    [['audit', '--min-age=-1'], "--min-age must be a non-negative number of days, such as 7 or 0.5; got '-1'."],
    [['audit', '--min-age', 'week'], "--min-age must be a non-negative number of days, such as 7 or 0.5; got 'week'."],
    [['audit', '--min-age', '1e400'], "--min-age must be a non-negative number of days, such as 7 or 0.5; got '1e400'."],
    [['audit', '--registry', 'not a url'], '--registry must be an absolute http or https URL, such as https://registry.npmjs.org/.'],
    [['audit', '--registry', 'file:///etc/passwd'], "--registry must be an http or https URL; got a 'file:' URL."],
    [['audit', '--include', 'prod,test'], "--include accepts prod, dev, optional, peer; got 'test'."],
    [['audit', '--include', ','], '--include needs at least one of prod, dev, optional, peer.'],
    [['audit', '--offline', '--refresh'], '--offline and --refresh cannot be used together: --offline reads only the cache, --refresh bypasses it.'],
  ];
  for (const [argv, message] of invalid) {
    it(`rejects ${JSON.stringify(argv)} with a message`, () => {
      assert.deepEqual(parseCommandLine(argv), usageError(message));
    });
  }

  it('rejects an unknown option with node’s message', () => {
    const result = parseCommandLine(['audit', '--frmat', 'json']);
    assert.equal(result.ok, false);
    assert.match((result as { message: string }).message, /Unknown option '--frmat'/);
  });

  it('rejects an option that is missing its value', () => {
    const result = parseCommandLine(['audit', '--format']);
    assert.equal(result.ok, false);
    assert.match((result as { message: string }).message, /--format/);
  });

  it('does not echo a malformed registry value, which may carry credentials', () => {
    const result = parseCommandLine(['audit', '--registry', 'https://user:s3cret@[bad']);
    assert.deepEqual(result, usageError('--registry must be an absolute http or https URL, such as https://registry.npmjs.org/.'));
  });
});
