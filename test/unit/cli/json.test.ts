/** Tests the JSON formatter: the report round-trips, keys and findings come in the documented order, output is terminal-safe. */

import * as assert from 'node:assert/strict';
import { formatJson } from '../../../src/cli/formatters/json';
import type { AuditReport } from '../../../src/core/types';
import { freshRelease, hostile, installScriptAdded, publisherChanged, sampleReport } from './report-fixture';

describe('formatJson', () => {
  it('round-trips to the same report, with findings sorted by file, line, rule and package and packages by name', () => {
    const parsed: unknown = JSON.parse(formatJson(sampleReport));
    const byName = [...sampleReport.packages].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    assert.deepEqual(parsed, {
      ...sampleReport,
      // '/work/project/package-lock.json' < 'package-lock.json' < 'package.json'; no location last.
      findings: [installScriptAdded, publisherChanged, freshRelease, hostile],
      packages: byName,
    });
  });

  it('writes keys in the documented order and sorts open records such as evidence', () => {
    const parsed = JSON.parse(formatJson(sampleReport)) as {
      policy: object;
      findings: { evidence: object; location?: object }[];
      packages: object[];
      errors: object[];
    };
    assert.deepEqual(Object.keys(parsed), ['schemaVersion', 'root', 'now', 'policy', 'findings', 'packages', 'errors', 'fixes']);
    assert.deepEqual(Object.keys(parsed.policy), ['minReleaseAgeDays', 'minReleaseAgeExclude', 'allowScripts', 'severities', 'include', 'ignore', 'origins']);
    assert.deepEqual(Object.keys(parsed.findings[1]!), ['rule', 'severity', 'package', 'version', 'message', 'evidence', 'location', 'via']);
    assert.deepEqual(Object.keys(parsed.findings[1]!.evidence), ['previousPublishers', 'publisher']);
    assert.deepEqual(Object.keys(parsed.findings[1]!.location!), ['file', 'offset', 'length', 'line', 'column']);
    assert.deepEqual(Object.keys(parsed.packages[0]!), ['name', 'version', 'direct', 'dev', 'optional', 'source', 'checked']);
    assert.deepEqual(Object.keys(parsed.errors[0]!), ['package', 'kind', 'message']);
  });

  it('gives the same bytes whatever order the engine produced things in', () => {
    const shuffled: AuditReport = {
      ...sampleReport,
      findings: [...sampleReport.findings].reverse(),
      packages: [...sampleReport.packages].reverse(),
      errors: [...sampleReport.errors].reverse(),
      policy: { ...sampleReport.policy, origins: { b: 'x', a: 'y' } },
    };
    const reordered: AuditReport = { ...shuffled, policy: { ...shuffled.policy, origins: { a: 'y', b: 'x' } } };
    assert.equal(formatJson(shuffled), formatJson(reordered));
    assert.equal(formatJson({ ...sampleReport, findings: [...sampleReport.findings].reverse() }), formatJson(sampleReport));
  });

  it('escapes C0, C1 and bidi characters so `cat report.json` is safe, and parses back to the original text', () => {
    const text = formatJson(sampleReport);
    assert.equal(/[\u0000-\u001f\u007f-\u009f\u202e]/.test(text.replace(/\n/g, '')), false);
    assert.match(text, /"deprecated": "line one\\nline two \\u009b31m\\u202eReversed"/);
    assert.match(text, /"package": "evil\\u001b\[2J"/);
  });

  it('keeps a field added to the report later, after the documented ones', () => {
    const extended = { ...sampleReport, zeta: 1, alpha: true } as AuditReport;
    const parsed = JSON.parse(formatJson(extended)) as object;
    assert.deepEqual(Object.keys(parsed), ['schemaVersion', 'root', 'now', 'policy', 'findings', 'packages', 'errors', 'fixes', 'alpha', 'zeta']);
  });

  it('stays valid JSON for lone surrogates and ends with a newline', () => {
    const report: AuditReport = { ...sampleReport, findings: [{ ...freshRelease, message: 'broken \ud800 surrogate' }] };
    const text = formatJson(report);
    assert.equal(text.endsWith('}\n'), true);
    assert.equal((JSON.parse(text) as { findings: { message: string }[] }).findings[0]!.message, 'broken \ud800 surrogate');
  });
});
