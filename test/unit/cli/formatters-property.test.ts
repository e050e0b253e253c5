/** The three report formats hold for any text in a report (issue 7): JSON and SARIF stay valid and keep the data, no raw control reaches a terminal. */

import assert from 'node:assert/strict';
import { formatJson, toJsonReport } from '../../../src/cli/formatters/json';
import { formatSarif } from '../../../src/cli/formatters/sarif';
import { formatText } from '../../../src/cli/formatters/text';
import type { AuditError, AuditReport, EvidenceValue, Finding, Location, PackageCoverage, Severity } from '../../../src/core/types';
import { assertNoPollution, check, fc, hostileString, prototypeSnapshot, timed } from '../../support/property';
import { sampleReport } from './report-fixture';

/** A record built as JSON.parse builds one, so a `__proto__` key is an own field. */
function ownRecord<T>(pairs: readonly (readonly [string, T])[], prototype: object | null = Object.prototype): Record<string, T> {
  const record = Object.create(prototype) as Record<string, T>;
  for (const [key, value] of pairs) Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  return record;
}

const severity = fc.constantFrom<Severity>('error', 'warning', 'info');
const location: fc.Arbitrary<Location> = fc.record({
  file: fc.oneof(fc.constantFrom('package.json', 'package-lock.json', '/work/project/packages/a/package.json', 'C:\\x\\package.json'), hostileString),
  offset: fc.nat(100_000),
  length: fc.nat(500),
  line: fc.integer({ min: 1, max: 10_000 }),
  column: fc.integer({ min: 1, max: 500 }),
});
const evidenceValue: fc.Arbitrary<EvidenceValue> = fc.oneof(hostileString, fc.integer(), fc.boolean(), fc.constant(null), fc.array(hostileString, { maxLength: 3 }));
const finding: fc.Arbitrary<Finding> = fc.record(
  {
    // Rule ids are the engine's own constants, never input.
    rule: fc.oneof(fc.constantFrom('fresh-release', 'install-script-added', 'deprecated'), fc.stringMatching(/^[a-z][a-z-]{0,20}$/)),
    severity,
    package: hostileString,
    version: hostileString,
    message: hostileString,
    evidence: fc.array(fc.tuple(hostileString, evidenceValue), { maxLength: 4 }).map((pairs) => ownRecord(pairs)),
    location,
    via: fc.array(hostileString, { minLength: 1, maxLength: 4 }),
    lockfileLocation: location,
    workspace: hostileString,
  },
  { requiredKeys: ['rule', 'severity', 'package', 'version', 'message', 'evidence'] },
);
const coverage: fc.Arbitrary<PackageCoverage> = fc.record(
  {
    name: hostileString,
    version: hostileString,
    direct: fc.boolean(),
    dev: fc.boolean(),
    optional: fc.boolean(),
    source: fc.constantFrom('registry', 'git', 'file', 'link', 'url', 'workspace', 'invalid'),
    checked: fc.boolean(),
    reason: hostileString,
  },
  { requiredKeys: ['name', 'version', 'direct', 'dev', 'optional', 'source', 'checked'] },
);
const auditError: fc.Arbitrary<AuditError> = fc.record(
  { file: hostileString, package: hostileString, kind: fc.oneof(fc.constantFrom('parse', 'not-found', 'fatal', 'config'), hostileString), message: hostileString, location },
  { requiredKeys: ['kind', 'message'] },
);
const report: fc.Arbitrary<AuditReport> = fc
  .record({
    findings: fc.array(finding, { maxLength: 6 }),
    packages: fc.array(coverage, { maxLength: 6 }),
    errors: fc.array(auditError, { maxLength: 6 }),
    allowScripts: fc.array(fc.tuple(hostileString, fc.boolean()), { maxLength: 3 }),
    origins: fc.array(fc.tuple(hostileString, hostileString), { maxLength: 2 }),
    lockfile: fc.option(fc.record({ file: hostileString, manager: hostileString, format: hostileString, reason: hostileString }), { nil: undefined }),
  })
  .map(({ findings, packages, errors, allowScripts, origins, lockfile }) => ({
    ...sampleReport,
    ...(lockfile === undefined ? {} : { lockfile }),
    // package.json's allowScripts arrives as a prototype-free record (see parseManifest).
    policy: { ...sampleReport.policy, allowScripts: ownRecord(allowScripts, null), origins: ownRecord([['minReleaseAgeDays', 'default'], ...origins]) },
    findings,
    packages,
    errors,
  }));

/** Characters a terminal acts on, other than the line feed: C0, DEL, C1, line/paragraph separators, bidi controls. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** The SGR styles the text formatter itself writes. */
const OUR_STYLES = /\u001b\[(?:1|2|22|31|32|33|36|39)m/g;

describe('report formats: property tests (issue 7)', () => {
  const before = prototypeSnapshot();
  after(() => assertNoPollution(before));

  it('JSON: valid for any report text, free of raw controls, and parses back to the same data', () => {
    check(
      fc.property(report, (r) => {
        const text = timed('formatJson', () => formatJson(r));
        assert.equal(RAW_CONTROL.test(text.replace(/\n/g, '')), false);
        assert.deepStrictEqual(JSON.parse(text), JSON.parse(JSON.stringify(toJsonReport(r))));
        const parsed = JSON.parse(text) as { findings: { message: string }[]; policy: { allowScripts: object } };
        assert.deepStrictEqual(parsed.findings.map((f) => f.message).sort(), r.findings.map((f) => f.message).sort());
        assert.deepStrictEqual(Object.keys(parsed.policy.allowScripts).sort(), Object.keys(r.policy.allowScripts).sort());
      }),
      150,
    );
  });

  it('JSON: keeps a `__proto__` allowScripts entry or evidence key as data, instead of dropping it (issue 7)', () => {
    const r: AuditReport = {
      ...sampleReport,
      policy: { ...sampleReport.policy, allowScripts: ownRecord([['__proto__', true], ['esbuild', false]], null) },
      findings: [{ ...sampleReport.findings[1]!, evidence: ownRecord<EvidenceValue>([['__proto__', 'x'], ['constructor', 'y']]) }],
    };
    const parsed = JSON.parse(formatJson(r)) as { policy: { allowScripts: object }; findings: { evidence: object }[] };
    assert.deepStrictEqual(Object.entries(parsed.policy.allowScripts), [['__proto__', true], ['esbuild', false]]);
    assert.deepStrictEqual(Object.entries(parsed.findings[0]!.evidence), [['__proto__', 'x'], ['constructor', 'y']]);
    assert.equal(Object.getPrototypeOf(parsed.policy.allowScripts), Object.prototype);
  });

  it('SARIF: valid for any report text, one result per finding, messages free of raw controls', () => {
    check(
      fc.property(report, (r) => {
        const text = timed('formatSarif', () => formatSarif(r, { toolVersion: '0.1.0' }));
        assert.equal(RAW_CONTROL.test(text.replace(/\n/g, '')), false);
        const log = JSON.parse(text) as { version: string; runs: { results: { message: { text: string } }[]; invocations: { toolExecutionNotifications: unknown[] }[] }[] };
        assert.equal(log.version, '2.1.0');
        assert.equal(log.runs[0]!.results.length, r.findings.length);
        assert.equal(log.runs[0]!.invocations[0]!.toolExecutionNotifications.length, r.errors.length);
        for (const result of log.runs[0]!.results) assert.equal(RAW_CONTROL.test(result.message.text), false);
      }),
      150,
    );
  });

  it('SARIF: writes a file name with a lone surrogate (possible on Windows) as U+FFFD instead of throwing (issue 7)', () => {
    const r: AuditReport = { ...sampleReport, findings: [{ ...sampleReport.findings[1]!, location: { file: 'packages/a\ud800/package.json', offset: 0, length: 1, line: 1, column: 1 } }] };
    const log = JSON.parse(formatSarif(r, { toolVersion: '0.1.0' })) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    assert.equal(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'packages/a%EF%BF%BD/package.json');
  });

  it('text: for any report text, no control reaches the terminal but line feeds and the formatter’s own styles', () => {
    check(
      fc.property(report, fc.boolean(), (r, color) => {
        const text = timed('formatText', () => formatText(r, { color }));
        assert.equal(RAW_CONTROL.test(text.replace(OUR_STYLES, '')), false);
        if (!color) assert.equal(text.includes('\u001b'), false);
      }),
      150,
    );
  });
});
