/** Formats an AuditReport for people: findings grouped by package, most severe first, then what was not checked. */

import type { AuditReport, EvidenceValue, Finding, PackageCoverage, Severity } from '../../core/types';
import { createPalette, neutralise, neutraliseLine, type Palette } from '../terminal';
import { compareErrors, compareFindings, compareSeverity, compareText, describeVia, nameSubject, relativeToRoot } from './order';

export interface TextFormatOptions {
  readonly color: boolean;
}

/** Width of the severity column, `  warning  `; continuation lines start here. */
const INDENT = ' '.repeat(11);

/**
 * Renders the report as plain text (ANSI colour only when `options.color`), ending in a summary line.
 * Every string that comes from package metadata is neutralised, so a hostile message cannot move the cursor.
 */
export function formatText(report: AuditReport, options: TextFormatOptions): string {
  const style = createPalette(options.color);
  const sections = [
    ...groupByPackage(report.findings).map((group) => formatGroup(group, report.root, style)),
    formatNotChecked(report, style),
    formatCachedFacts(report, style),
    formatFixes(report, style),
  ].filter((section) => section !== '');
  return [...sections, `${formatSources(report, style)}\n${formatSummary(report, style)}`].join('\n\n') + '\n';
}

/** Which lockfile and which policy the report rests on, so a user can tell what was read. */
function formatSources(report: AuditReport, style: Palette): string {
  const lockfile = report.lockfile
    ? `${report.lockfile.file} (${report.lockfile.manager}; ${report.lockfile.reason})`
    : 'none (checked the versions package.json admits)';
  const policy = report.policy;
  const age = `minimum release age ${policy.minReleaseAgeDays} ${policy.minReleaseAgeDays === 1 ? 'day' : 'days'} (${policy.origins.minReleaseAgeDays ?? 'default'})`;
  const extra = Object.entries(policy.origins)
    .filter(([key]) => key !== 'minReleaseAgeDays')
    .map(([, origin]) => origin);
  return style.dim(neutraliseLine(`Lockfile: ${lockfile}. Policy: ${[age, ...extra].join(', ')}.`));
}

function groupByPackage(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = `${finding.package}@${finding.version}`;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  const sorted = [...groups.values()].map((group) => group.sort((a, b) => compareSeverity(a.severity, b.severity) || compareFindings(a, b)));
  return sorted.sort(
    (a, b) =>
      compareSeverity(a[0]!.severity, b[0]!.severity) ||
      compareText(a[0]!.package, b[0]!.package) ||
      compareText(a[0]!.version, b[0]!.version),
  );
}

function formatGroup(group: readonly Finding[], root: string, style: Palette): string {
  const first = group[0]!;
  const header = style.bold(neutraliseLine(`${first.package}@${first.version}`));
  return [header, ...group.map((finding) => formatFinding(finding, root, style))].join('\n');
}

function formatFinding(finding: Finding, root: string, style: Palette): string {
  const label = colourSeverity(finding.severity, style)(finding.severity) + ' '.repeat(9 - finding.severity.length);
  const lines = [`  ${label}${style.dim(neutraliseLine(finding.rule))}  ${indentContinuation(neutralise(finding.message), INDENT)}`];
  const where = [
    finding.location === undefined ? undefined : neutraliseLine(formatLocation(finding.location, root)),
    mapDefined(describeVia(finding.via), (via) => `via ${neutraliseLine(via)}`),
    mapDefined(finding.workspace, (workspace) => `in workspace ${neutraliseLine(workspace)}`),
  ].filter((part): part is string => part !== undefined);
  if (where.length > 0) lines.push(INDENT + style.dim(where.join('  ')));
  for (const [key, value] of Object.entries(finding.evidence)) {
    const text = indentContinuation(formatEvidenceValue(value), `${INDENT}  `);
    lines.push(`${INDENT}${style.dim(`${neutraliseLine(key)}:`)} ${text}`);
  }
  return lines.join('\n');
}

function formatLocation(location: { readonly file: string; readonly line: number; readonly column: number }, root: string): string {
  return `${relativeToRoot(location.file, root)}:${location.line}:${location.column}`;
}

function formatEvidenceValue(value: EvidenceValue): string {
  if (value === null) return 'unknown';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map((item) => neutraliseLine(item)).join(', ');
  return neutralise(String(value));
}

function formatNotChecked(report: AuditReport, style: Palette): string {
  const unchecked = [...report.packages].filter((pkg) => !pkg.checked).sort(comparePackages);
  const used = new Set<number>();
  const lines = unchecked.map((pkg) => {
    const index = report.errors.findIndex((error, i) => !used.has(i) && (error.package === `${pkg.name}@${pkg.version}` || error.package === pkg.name));
    if (index >= 0) used.add(index);
    const why = index >= 0 ? report.errors[index]!.message : (pkg.reason ?? 'not checked');
    return `  ${indentContinuation(neutralise(nameSubject(why, `${pkg.name}@${pkg.version}`)), '    ')}`;
  });
  const rest = report.errors.filter((_, i) => !used.has(i)).sort(compareErrors);
  for (const error of rest) {
    const subject =
      error.location !== undefined
        ? formatLocation(error.location, report.root)
        : error.file !== undefined
          ? relativeToRoot(error.file, report.root)
          : (error.package ?? error.kind);
    lines.push(`  ${indentContinuation(neutralise(nameSubject(error.message, subject)), '    ')}`);
  }
  return lines.length === 0 ? '' : [style.bold('Not checked'), ...lines].join('\n');
}

function formatFixes(report: AuditReport, style: Palette): string {
  if (report.fixes.length === 0) return '';
  const fixes = [...report.fixes].sort((a, b) => compareText(a.package, b.package) || compareText(a.from, b.from));
  const lines = fixes.map((fix) => {
    const action = fix.kind === 'pin' ? 'pin' : 'override';
    const published = fix.toPublishedAt === undefined ? '' : ` (published ${fix.toPublishedAt})`;
    const text =
      `${fix.package}@${fix.from}: ${action} to ${fix.to}${published} in ${relativeToRoot(fix.file, report.root)}` +
      (fix.addresses.length > 0 ? `; addresses ${fix.addresses.join(', ')}` : '');
    return `  ${neutraliseLine(text)}`;
  });
  return [style.bold('Fixes'), ...lines].join('\n');
}

/** At most this many packages checked against cached facts are listed; the JSON report has them all. */
const MAX_CACHED_LINES = 20;

/** Packages checked against cached facts because the registry was not asked or could not be reached, with the facts' age. */
function formatCachedFacts(report: AuditReport, style: Palette): string {
  const cached = report.packages.filter((pkg) => pkg.checked && pkg.reason !== undefined).sort(comparePackages);
  if (cached.length === 0) return '';
  const lines = cached.slice(0, MAX_CACHED_LINES).map((pkg) => `  ${neutraliseLine(`${pkg.name}@${pkg.version}: ${pkg.reason}`)}`);
  if (cached.length > MAX_CACHED_LINES) lines.push(`  … and ${cached.length - MAX_CACHED_LINES} more (see --format json)`);
  return [style.bold('Checked against cached facts'), ...lines].join('\n');
}

function formatSummary(report: AuditReport, style: Palette): string {
  const count = (severity: Severity): number => report.findings.filter((finding) => finding.severity === severity).length;
  const checked = report.packages.filter((pkg) => pkg.checked).length;
  const coverage = `${plural(checked, 'package')} checked, ${report.packages.length - checked} not checked.`;
  if (report.findings.length === 0) return `${style.green('No findings')}; ${coverage}`;
  const errors = count('error');
  const warnings = count('warning');
  const packages = new Set(report.findings.map((finding) => `${finding.package}@${finding.version}`)).size;
  const counts = `${plural(report.findings.length, 'finding')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${count('info')} info)`;
  const colour = errors > 0 ? style.red : warnings > 0 ? style.yellow : style.cyan;
  return `${colour(counts)} in ${plural(packages, 'package')}; ${coverage}`;
}

function colourSeverity(severity: Severity, style: Palette): (text: string) => string {
  return severity === 'error' ? style.red : severity === 'warning' ? style.yellow : style.cyan;
}

function comparePackages(a: PackageCoverage, b: PackageCoverage): number {
  return compareText(a.name, b.name) || compareText(a.version, b.version);
}

function indentContinuation(text: string, indent: string): string {
  return text.replace(/\n/g, `\n${indent}`);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function mapDefined<T, U>(value: T | undefined, map: (value: T) => U): U | undefined {
  return value === undefined ? undefined : map(value);
}
