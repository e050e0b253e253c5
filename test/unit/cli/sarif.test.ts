/** Tests the SARIF formatter: the 2.1.0 structure GitHub code scanning needs, relative URIs, stable fingerprints. */

import * as assert from 'node:assert/strict';
import { formatSarif } from '../../../src/cli/formatters/sarif';
import type { AuditReport, Finding, RuleMeta } from '../../../src/core/types';
import { fatalReport, freshRelease, hostile, installScriptAdded, publisherChanged, sampleReport } from './report-fixture';

const RULES: RuleMeta[] = [
  { id: 'fresh-release', defaultSeverity: 'warning', description: 'Published more recently than the release-age policy allows.' },
  { id: 'install-script-added', defaultSeverity: 'error', description: 'Adds an install script its previous release did not have.' },
];
const HELP = 'https://github.com/dependency-risk/dependency-risk/blob/main/docs/rules';
const TAGS = { tags: ['security', 'supply-chain'] };

interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string; defaultConfiguration: { level: string } }[] } };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[];
    results: { ruleId: string; ruleIndex: number; level: string; locations: unknown[]; partialFingerprints: Record<string, string> }[];
  }[];
}

function sarif(report: AuditReport, rules: readonly RuleMeta[] = RULES): SarifLog {
  return JSON.parse(formatSarif(report, { toolVersion: '0.1.0', rules })) as SarifLog;
}

function only(findings: Finding[]): AuditReport {
  return { ...sampleReport, findings, errors: [] };
}

describe('formatSarif', () => {
  it('writes one run with the driver, one rule per rule id that appears, and results with relative locations', () => {
    const report: AuditReport = { ...sampleReport, findings: [publisherChanged, freshRelease], errors: [sampleReport.errors[0]!] };
    assert.deepEqual(sarif(report), {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'Dependency Risk',
              informationUri: 'https://github.com/dependency-risk/dependency-risk',
              version: '0.1.0',
              semanticVersion: '0.1.0',
              rules: [
                {
                  id: 'fresh-release',
                  name: 'FreshRelease',
                  shortDescription: { text: 'Published more recently than the release-age policy allows.' },
                  helpUri: `${HELP}/fresh-release.md`,
                  help: { text: `Published more recently than the release-age policy allows. See ${HELP}/fresh-release.md` },
                  defaultConfiguration: { level: 'warning' },
                  properties: TAGS,
                },
                {
                  id: 'publisher-changed',
                  name: 'PublisherChanged',
                  shortDescription: { text: 'Dependency Risk rule publisher-changed.' },
                  helpUri: `${HELP}/publisher-changed.md`,
                  help: { text: `Dependency Risk rule publisher-changed. See ${HELP}/publisher-changed.md` },
                  defaultConfiguration: { level: 'warning' },
                  properties: TAGS,
                },
              ],
            },
          },
          invocations: [
            {
              executionSuccessful: true,
              toolExecutionNotifications: [
                { level: 'warning', message: { text: 'left-pad@1.3.0 was not found in the registry (404).' }, descriptor: { id: 'not-found' } },
              ],
            },
          ],
          columnKind: 'utf16CodeUnits',
          results: [
            {
              ruleId: 'publisher-changed',
              ruleIndex: 1,
              level: 'warning',
              message: { text: 'debug@4.4.2 was published by newuser, who never published debug before. (via express > debug)' },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: 'package-lock.json', uriBaseId: '%SRCROOT%' },
                    region: { startLine: 80, startColumn: 5, endColumn: 29 },
                  },
                },
              ],
              // Pinned: a changed fingerprint reopens every alert in code scanning.
              partialFingerprints: { 'dependencyRisk/v1': 'e2c34452ec5c47657d2d59fed97c9633' },
              properties: {
                package: 'debug',
                version: '4.4.2',
                via: ['express', 'debug'],
                evidence: { previousPublishers: ['qix', 'tjholowaychuk'], publisher: 'newuser' },
              },
            },
            {
              ruleId: 'fresh-release',
              ruleIndex: 0,
              level: 'warning',
              message: { text: 'chalk@5.6.1 was published 3 hours ago; the policy asks for 7 days.' },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: 'package.json', uriBaseId: '%SRCROOT%' },
                    region: { startLine: 12, startColumn: 16, endColumn: 24 },
                  },
                },
              ],
              partialFingerprints: { 'dependencyRisk/v1': 'a3c392dd5c6ec39afecb828024946eb3' },
              properties: { package: 'chalk', version: '5.6.1', evidence: { minReleaseAgeDays: 7, publishedAt: '2025-08-09T21:00:00.000Z' } },
            },
          ],
        },
      ],
    });
  });

  it('maps severities to levels: error to error, warning to warning, info to note', () => {
    const levels = sarif(only([installScriptAdded, freshRelease, hostile])).runs[0]!.results.map((r) => [r.ruleId, r.level]);
    assert.deepEqual(levels, [
      ['install-script-added', 'error'],
      ['fresh-release', 'warning'],
      ['deprecated', 'note'],
    ]);
  });

  it('takes a rule’s default level from its metadata, else from its most severe finding', () => {
    const withPolicyOverride = { ...freshRelease, severity: 'error' as const };
    const rules = sarif(only([withPolicyOverride, { ...hostile, severity: 'warning' }, { ...hostile, version: '2.0.0' }])).runs[0]!.tool.driver.rules;
    assert.deepEqual(
      rules.map((rule) => [rule.id, rule.defaultConfiguration.level]),
      [
        ['deprecated', 'warning'],
        ['fresh-release', 'warning'],
      ],
    );
  });

  it('makes absolute paths relative to the audited folder with forward slashes, and escapes URI characters', () => {
    const inWorkspace = { ...freshRelease, location: { ...freshRelease.location!, file: '/work/project/packages/my app/package.json' } };
    const windows = { ...publisherChanged, location: { ...publisherChanged.location!, file: 'C:\\proj\\packages\\a\\package-lock.json' } };
    const outside = { ...hostile, location: { ...freshRelease.location!, file: '/elsewhere/package.json' } };
    const uris = [
      sarif(only([inWorkspace])),
      sarif({ ...only([windows]), root: 'C:\\proj' }),
      sarif(only([outside])),
    ].map((log) => (log.runs[0]!.results[0]!.locations[0] as { physicalLocation: { artifactLocation: object } }).physicalLocation.artifactLocation);
    assert.deepEqual(uris, [
      { uri: 'packages/my%20app/package.json', uriBaseId: '%SRCROOT%' },
      { uri: 'packages/a/package-lock.json', uriBaseId: '%SRCROOT%' },
      { uri: 'file:///elsewhere/package.json' },
    ]);
  });

  it('points a finding without a location at the root package.json, since code scanning needs a location', () => {
    assert.deepEqual(sarif(only([hostile])).runs[0]!.results[0]!.locations, [
      { physicalLocation: { artifactLocation: { uri: 'package.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 1 } } },
    ]);
  });

  it('keeps the fingerprint when only the location moves, and changes it with the version (control)', () => {
    const fingerprintOf = (finding: Finding): string => sarif(only([finding])).runs[0]!.results[0]!.partialFingerprints['dependencyRisk/v1']!;
    const moved = { ...freshRelease, location: { ...freshRelease.location!, line: 99, offset: 4000 } };
    assert.equal(fingerprintOf(moved), fingerprintOf(freshRelease));
    assert.notEqual(fingerprintOf({ ...freshRelease, version: '5.6.2' }), fingerprintOf(freshRelease));
  });

  it('reports a fatal error as an unsuccessful execution with an error notification', () => {
    const run = sarif(fatalReport).runs[0]!;
    assert.deepEqual(run.results, []);
    assert.deepEqual(run.invocations, [
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: { text: '/work/empty has no readable package.json: nothing to audit.' },
            descriptor: { id: 'fatal' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'package.json', uriBaseId: '%SRCROOT%' } } }],
          },
        ],
      },
    ]);
  });

  it('stays valid JSON without raw control characters, neutralising message text and keeping evidence as data', () => {
    const nasty = { ...hostile, message: 'x\u0000\u001b]8;;http://evil\u0007link\u009d\ud800"\\', evidence: { '\u001b': '\u202e' } };
    const text = formatSarif(only([nasty]), { toolVersion: '0.1.0' });
    assert.equal(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/.test(text), false);
    const parsed = JSON.parse(text) as { runs: { results: { message: { text: string }; properties: { evidence: object } }[] }[] };
    assert.equal(parsed.runs[0]!.results[0]!.message.text, 'evil\\x1b[2J@1.0.0: x\\x00\\x1b]8;;http://evil\\x07link\\u009d\ud800"\\');
    assert.deepEqual(parsed.runs[0]!.results[0]!.properties.evidence, { '\u001b': '\u202e' });
  });
});
