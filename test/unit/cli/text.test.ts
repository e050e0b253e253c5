/** Tests the text formatter: grouping, order, evidence, colour, and neutralising hostile package metadata. */

import * as assert from 'node:assert/strict';
import { formatText } from '../../../src/cli/formatters/text';
import type { AuditReport } from '../../../src/core/types';
import { cleanReport, sampleReport } from './report-fixture';

const ESC = '\u001b';

describe('formatText', () => {
  it('groups findings by package, most severe first, with locations, via chains, evidence, not-checked and a summary', () => {
    assert.equal(
      formatText(sampleReport, { color: false }),
      [
        'chalk@5.6.1',
        '  error    install-script-added  chalk@5.6.1 adds a postinstall script in a patch release; 5.6.0 had none.',
        '           package-lock.json:40:5',
        '           postinstall: node bundle.js',
        '           previousVersion: 5.6.0',
        '           releaseType: patch',
        '  warning  fresh-release  chalk@5.6.1 was published 3 hours ago; the policy asks for 7 days.',
        '           package.json:12:16',
        '           publishedAt: 2025-08-09T21:00:00.000Z',
        '           minReleaseAgeDays: 7',
        '',
        'debug@4.4.2',
        '  warning  publisher-changed  debug@4.4.2 was published by newuser, who never published debug before.',
        '           package-lock.json:80:5  via express > debug',
        '           publisher: newuser',
        '           previousPublishers: qix, tjholowaychuk',
        '',
        'evil\\x1b[2J@1.0.0',
        '  info     deprecated  evil@1.0.0 is deprecated: \\x1b[31mall good\\x1b[0m\\rOK',
        '           deprecated: line one',
        '             line two \\u009b31m\\u202eReversed',
        '           flags: unknown',
        '           ok: true',
        '',
        'Not checked',
        '  left-pad@1.3.0 was not found in the registry (404).',
        '  my-lib@github:me/my-lib: not from the registry; not checked',
        '  .npmrc: min-release-age is "soon", not a number of days; using 7.',
        '',
        'Lockfile: none (checked the versions package.json admits). Policy: minimum release age 7 days (default).',
        '4 findings (1 error, 2 warnings, 1 info) in 3 packages; 4 packages checked, 2 not checked.',
        '',
      ].join('\n'),
    );
  });

  it('colours severities, headers and the summary with ANSI styles when colour is on', () => {
    const report: AuditReport = { ...sampleReport, findings: sampleReport.findings.filter((f) => f.package === 'debug'), errors: [], packages: [] };
    assert.equal(
      formatText(report, { color: true }),
      [
        `${ESC}[1mdebug@4.4.2${ESC}[22m`,
        `  ${ESC}[33mwarning${ESC}[39m  ${ESC}[2mpublisher-changed${ESC}[22m  debug@4.4.2 was published by newuser, who never published debug before.`,
        `           ${ESC}[2mpackage-lock.json:80:5  via express > debug${ESC}[22m`,
        `           ${ESC}[2mpublisher:${ESC}[22m newuser`,
        `           ${ESC}[2mpreviousPublishers:${ESC}[22m qix, tjholowaychuk`,
        '',
        `${ESC}[2mLockfile: none (checked the versions package.json admits). Policy: minimum release age 7 days (default).${ESC}[22m`,
        `${ESC}[33m1 finding (0 errors, 1 warning, 0 info)${ESC}[39m in 1 package; 0 packages checked, 0 not checked.`,
        '',
      ].join('\n'),
    );
  });

  it('emits no escape character at all without colour, even for hostile metadata (control)', () => {
    const plain = formatText(sampleReport, { color: false });
    assert.equal(plain.includes(ESC), false);
    assert.equal(/[\u0080-\u009f\r\u202e]/.test(plain), false);
    assert.equal(formatText(sampleReport, { color: true }).includes(ESC), true);
  });

  it('keeps hostile escapes visible and inert when colour is on: the only raw ESCs are our own styles', () => {
    const coloured = formatText(sampleReport, { color: true });
    const escapes = coloured.match(/\u001b\[[0-9;]*m/g) ?? [];
    const ours = new Set(['1', '22', '2', '31', '39', '33', '36', '32'].map((code) => `${ESC}[${code}m`));
    assert.deepEqual(escapes.filter((sequence) => !ours.has(sequence)), []);
    assert.equal(coloured.includes(`${ESC}[2J`), false);
  });

  it('says there are no findings when the report is clean', () => {
    assert.equal(formatText(cleanReport, { color: false }), 'Lockfile: none (checked the versions package.json admits). Policy: minimum release age 7 days (default).\nNo findings; 4 packages checked, 0 not checked.\n');
  });

  it('names the lockfile read, why, and where the policy came from', () => {
    const report: AuditReport = {
      ...cleanReport,
      lockfile: { file: 'pnpm-lock.yaml', manager: 'pnpm', format: 'pnpm', reason: 'packageManager: pnpm@9.1.0' },
      policy: { ...cleanReport.policy, minReleaseAgeDays: 1, origins: { minReleaseAgeDays: '/p/.npmrc min-release-age', allowScripts: 'package.json allowScripts' } },
    };
    assert.equal(
      formatText(report, { color: false }).split('\n')[0],
      'Lockfile: pnpm-lock.yaml (pnpm; packageManager: pnpm@9.1.0). Policy: minimum release age 1 day (/p/.npmrc min-release-age), package.json allowScripts.',
    );
  });

  it('lists fix plans when the report has them', () => {
    const report: AuditReport = {
      ...cleanReport,
      fixes: [
        { package: 'chalk', from: '5.6.1', to: '5.6.0', toPublishedAt: '2025-07-01T00:00:00.000Z', kind: 'pin', file: 'package.json', edits: [], addresses: ['fresh-release', 'install-script-added'] },
        { package: 'debug', from: '4.4.2', to: '4.4.1', kind: 'override', file: 'package.json', edits: [], addresses: [] },
      ],
    };
    assert.equal(
      formatText(report, { color: false }),
      [
        'Fixes',
        '  chalk@5.6.1: pin to 5.6.0 (published 2025-07-01T00:00:00.000Z) in package.json; addresses fresh-release, install-script-added',
        '  debug@4.4.2: override to 4.4.1 in package.json',
        '',
        'Lockfile: none (checked the versions package.json admits). Policy: minimum release age 7 days (default).',
        'No findings; 4 packages checked, 0 not checked.',
        '',
      ].join('\n'),
    );
  });
});
