/** Formats an AuditReport as SARIF 2.1.0 for GitHub code scanning: one run, one rule per rule id, stable fingerprints. */

import { createHash } from 'node:crypto';
import type { AuditError, AuditReport, Finding, Location, RuleMeta, Severity } from '../../core/types';
import { neutralise } from '../terminal';
import { sortRecords, stringifySafely } from './json';
import { compareErrors, compareFindings, compareSeverity, compareText, describeVia, nameSubject, relativeToRoot } from './order';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'Dependency Risk';
export const INFORMATION_URI = 'https://github.com/dependency-risk/dependency-risk';
export const FINGERPRINT_KEY = 'dependencyRisk/v1';

export interface SarifFormatOptions {
  /** The tool's version (package.json `version`). */
  readonly toolVersion: string;
  /** Rule metadata, when known; ids without metadata get a generic description and their findings' severity. */
  readonly rules?: readonly RuleMeta[];
}

type SarifLevel = 'error' | 'warning' | 'note';

/** The docs page of a rule, which rules[].helpUri and the editor link to. */
export function ruleHelpUri(ruleId: string): string {
  return `${INFORMATION_URI}/blob/main/docs/rules/${encodeURIComponent(ruleId)}.md`;
}

/**
 * Renders the report as a SARIF 2.1.0 log. Locations are relative to the audited folder under
 * `%SRCROOT%`; a finding without a location points at the root package.json, because code scanning
 * rejects results without one. Report errors become tool execution notifications. Message texts are
 * for display, so control characters from package metadata are neutralised there as in the text
 * report; `properties` keep the data as is.
 */
export function formatSarif(report: AuditReport, options: SarifFormatOptions): string {
  const findings = [...report.findings].sort(compareFindings);
  const ruleIds = [...new Set(findings.map((finding) => finding.rule))].sort(compareText);
  const errors = [...report.errors].sort(compareErrors);
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            informationUri: INFORMATION_URI,
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            rules: ruleIds.map((id) => toRule(id, findings, options.rules ?? [])),
          },
        },
        invocations: [
          {
            executionSuccessful: !errors.some((error) => error.kind === 'fatal'),
            toolExecutionNotifications: errors.map((error) => toNotification(error, report.root)),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: findings.map((finding) => toResult(finding, ruleIds.indexOf(finding.rule), report.root)),
      },
    ],
  };
  return `${stringifySafely(log)}\n`;
}

function toRule(id: string, findings: readonly Finding[], known: readonly RuleMeta[]) {
  const meta = known.find((rule) => rule.id === id);
  const severity =
    meta?.defaultSeverity ??
    findings
      .filter((finding) => finding.rule === id)
      .map((finding) => finding.severity)
      .sort(compareSeverity)[0] ??
    'warning';
  const description = meta?.description ?? `Dependency Risk rule ${id}.`;
  return {
    id,
    name: toPascalCase(id),
    shortDescription: { text: description },
    helpUri: ruleHelpUri(id),
    help: { text: `${description} See ${ruleHelpUri(id)}` },
    defaultConfiguration: { level: toLevel(severity) },
    properties: { tags: ['security', 'supply-chain'] },
  };
}

function toResult(finding: Finding, ruleIndex: number, root: string) {
  const via = describeVia(finding.via);
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: toLevel(finding.severity),
    message: { text: neutralise(`${nameSubject(finding.message, `${finding.package}@${finding.version}`)}${via === undefined ? '' : ` (via ${via})`}`) },
    locations: [toLocation(finding.location, root) ?? manifestLocation()],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(finding) },
    properties: {
      package: finding.package,
      version: finding.version,
      ...(finding.via === undefined ? {} : { via: finding.via }),
      evidence: sortRecords(finding.evidence),
    },
  };
}

function toNotification(error: AuditError, root: string) {
  const location = toLocation(error.location, root) ?? (error.file === undefined ? undefined : fileLocation(error.file, root));
  return {
    level: error.kind === 'fatal' ? 'error' : 'warning',
    message: { text: neutralise(error.package === undefined ? error.message : nameSubject(error.message, error.package)) },
    descriptor: { id: error.kind },
    ...(location === undefined ? {} : { locations: [location] }),
  };
}

function toLocation(location: Location | undefined, root: string) {
  if (location === undefined) return undefined;
  const startLine = Math.max(1, Math.trunc(location.line));
  const startColumn = Math.max(1, Math.trunc(location.column));
  const region = location.length > 0 ? { startLine, startColumn, endColumn: startColumn + location.length } : { startLine, startColumn };
  return { physicalLocation: { artifactLocation: toArtifact(location.file, root), region } };
}

function fileLocation(file: string, root: string) {
  return { physicalLocation: { artifactLocation: toArtifact(file, root) } };
}

function manifestLocation() {
  return { physicalLocation: { artifactLocation: toArtifact('package.json', ''), region: { startLine: 1, startColumn: 1 } } };
}

/** A relative URI under `%SRCROOT%`, or an absolute `file:` URI for a file outside the audited folder. */
function toArtifact(file: string, root: string): { readonly uri: string; readonly uriBaseId?: string } {
  const relative = relativeToRoot(file, root);
  const encoded = relative
    .split('/')
    .map((segment) => encodeURIComponent(wellFormed(segment)).replace(/%40/g, '@'))
    .join('/');
  if (relative.startsWith('/')) return { uri: `file://${encoded}` };
  if (/^[a-zA-Z]:\//.test(relative)) return { uri: `file:///${encoded.replace(/%3A/, ':')}` };
  return { uri: encoded, uriBaseId: '%SRCROOT%' };
}

/**
 * Replaces lone surrogates (a Windows file name may hold one) with U+FFFD, which encodeURIComponent
 * accepts: it throws a URIError on them, and the whole report would be lost (issue 7).
 */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Stable across runs and line moves: the same rule on the same package version is the same alert. */
function fingerprint(finding: Finding): string {
  return createHash('sha256').update(`${finding.rule}\u0000${finding.package}\u0000${finding.version}`).digest('hex').slice(0, 32);
}

function toLevel(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

function toPascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
