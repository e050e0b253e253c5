/** Formats a DiffReport for people: each lockfile's changes with the findings on them, configuration changes, acceptances, what was not checked. */

import type { AcceptanceUse, DiffReport, PackageChange, RevisionInfo } from '../../core/review/types';
import type { Finding, Severity } from '../../core/types';
import { createPalette, neutralise, neutraliseLine, type Palette } from '../terminal';
import { compareChanges } from './diff-json';
import { compareErrors, compareFindings, compareSeverity, compareText, describeVia, nameSubject } from './order';

export interface DiffTextOptions {
  readonly color: boolean;
}

const LABEL: Readonly<Record<PackageChange['kind'], string>> = {
  upgraded: 'upgraded',
  downgraded: 'downgraded',
  changed: 'changed',
  added: 'added',
  'added-alongside': 'added',
  removed: 'removed',
  'source-changed': 'source',
  'integrity-changed': 'integrity',
};
const LABEL_WIDTH = 11;
const FINDING_INDENT = ' '.repeat(4 + LABEL_WIDTH);

/** Renders the review as plain text (ANSI colour only with `options.color`); every string from a package or the repository is neutralised. */
export function formatDiffText(report: DiffReport, options: DiffTextOptions): string {
  const style = createPalette(options.color);
  const header = style.bold(neutraliseLine(`Dependency changes: ${describeRevision(report.base)} → ${describeRevision(report.head)}`));
  if (report.changedFiles.length === 0 && report.errors.length === 0) {
    return `${header}\nNo dependency file changed; nothing to review.\n`;
  }
  const findings = [...report.findings].sort((a, b) => compareSeverity(a.severity, b.severity) || compareFindings(a, b));
  const shown = new Set<Finding>();
  const sections: string[] = [header];
  const files = [...new Set([...report.lockfiles.map((l) => l.file), ...report.changes.map((c) => c.file)])].sort(compareText);
  for (const file of files) {
    const status = report.lockfiles.find((l) => l.file === file);
    const title = status === undefined ? file : `${file} (${[status.manager, status.status].filter(Boolean).join(', ')})`;
    const lines = [style.bold(neutraliseLine(title))];
    if (status?.reason !== undefined) lines.push(`  ${style.yellow(neutralise(status.reason))}`);
    const changes = report.changes.filter((c) => c.file === file).sort(compareChanges);
    for (const change of changes) {
      const own = findings.filter((f) => !shown.has(f) && belongsTo(f, change));
      for (const f of own) shown.add(f);
      lines.push(formatChange(change, own, style));
    }
    if (changes.length === 0 && status?.status !== 'unreadable') lines.push('  no package changes');
    sections.push(lines.join('\n'));
  }
  const configLines = report.configChanges.map((c) => `  ${neutralise(nameSubject(c.message, c.file))}${c.weakens ? style.yellow(' (weakens the policy)') : ''}`);
  const rest = findings.filter((f) => !shown.has(f));
  for (const f of rest) configLines.push(formatFinding(f, style, '  '));
  if (configLines.length > 0) sections.push([style.bold(report.configChanges.length > 0 ? 'Configuration' : 'Other findings'), ...configLines].join('\n'));
  const accepted = formatAccepted(report.accepted, style);
  if (accepted !== '') sections.push(accepted);
  const notChecked = formatNotChecked(report, style);
  if (notChecked !== '') sections.push(notChecked);
  sections.push(`${style.dim(neutraliseLine(formatSources(report)))}\n${formatSummary(report, style)}`);
  return `${sections.join('\n\n')}\n`;
}

function describeRevision(info: RevisionInfo): string {
  const commit = info.commit === undefined ? '' : ` (${info.commit.slice(0, 12)})`;
  if (info.mergeBaseWith !== undefined) return `merge base of ${info.ref} and ${info.mergeBaseWith}${commit}`;
  return `${info.ref}${commit}`;
}

/** A finding is shown under the change that brings its package version in. */
function belongsTo(finding: Finding, change: PackageChange): boolean {
  return finding.package === change.name && finding.version === change.to && change.kind !== 'removed';
}

function formatChange(change: PackageChange, findings: readonly Finding[], style: Palette): string {
  const label = LABEL[change.kind].padEnd(LABEL_WIDTH);
  const where = [
    change.direct ? undefined : describeVia(change.via) === undefined ? 'transitive' : `via ${describeVia(change.via) ?? ''}`,
    change.scope === 'prod' ? undefined : change.scope,
    change.workspace === undefined ? undefined : `in ${change.workspace}`,
  ].filter((part): part is string => part !== undefined);
  const suffix = where.length === 0 ? '' : style.dim(` [${neutraliseLine(where.join(', '))}]`);
  const worst = findings[0]?.severity;
  const colour = worst === undefined ? (text: string) => text : colourOf(worst, style);
  const line = `  ${colour(label)}${neutralise(change.message).replace(/\n/g, `\n${FINDING_INDENT}`)}${suffix}`;
  return [line, ...findings.map((f) => formatFinding(f, style, FINDING_INDENT))].join('\n');
}

function formatFinding(finding: Finding, style: Palette, indent: string): string {
  const severity = colourOf(finding.severity, style)(finding.severity.padEnd(8));
  const message = neutralise(nameSubject(finding.message, finding.version === '' ? finding.package : `${finding.package}@${finding.version}`));
  const location = finding.location === undefined ? '' : `\n${indent}${' '.repeat(9)}${style.dim(neutraliseLine(`${finding.location.file}:${finding.location.line}:${finding.location.column}`))}`;
  return `${indent}${severity} ${style.dim(neutraliseLine(finding.rule))}  ${message.replace(/\n/g, `\n${indent}${' '.repeat(9)}`)}${location}`;
}

function formatAccepted(uses: readonly AcceptanceUse[], style: Palette): string {
  if (uses.length === 0) return '';
  const lines = [...uses]
    .sort((a, b) => compareText(a.status, b.status) || compareText(a.package, b.package) || compareText(a.rule, b.rule))
    .map((use) => {
      const expires = use.expires === undefined ? '' : `, expires ${use.expires}`;
      const what = `${use.package} ${use.rule} (${use.file}: "${use.reason}"${expires})`;
      const status =
        use.status === 'applied'
          ? `accepts ${use.findings.length} finding${use.findings.length === 1 ? '' : 's'}`
          : use.status === 'expired'
            ? 'expired: no longer applies'
            : 'added by this change: applies once merged, not to this review';
      return `  ${neutraliseLine(what)}: ${use.status === 'applied' ? status : style.yellow(status)}`;
    });
  return [style.bold('Accepted'), ...lines].join('\n');
}

function formatNotChecked(report: DiffReport, style: Palette): string {
  const lines = [...report.notChecked]
    .sort((a, b) => compareText(a.name, b.name) || compareText(a.version, b.version))
    .map((n) => `  ${neutralise(nameSubject(n.reason, `${n.name}@${n.version}`))}`);
  const reported = new Set(report.notChecked.map((n) => n.name));
  for (const error of [...report.errors].sort(compareErrors)) {
    if (error.package !== undefined && reported.has(error.package)) continue;
    lines.push(`  ${neutralise(nameSubject(error.message, error.file ?? error.package ?? error.kind))}`);
  }
  return lines.length === 0 ? '' : [style.bold('Not checked'), ...lines].join('\n');
}

function formatSources(report: DiffReport): string {
  const policy = report.policy;
  const age = `minimum release age ${policy.minReleaseAgeDays} ${policy.minReleaseAgeDays === 1 ? 'day' : 'days'} (${policy.origins.minReleaseAgeDays ?? 'default'})`;
  return `Changed: ${report.changedFiles.join(', ') || 'nothing'}. Policy of the base revision: ${age}.`;
}

function formatSummary(report: DiffReport, style: Palette): string {
  const counts = new Map<string, number>();
  for (const change of report.changes) counts.set(LABEL[change.kind], (counts.get(LABEL[change.kind]) ?? 0) + 1);
  const changeText = report.changes.length === 0 ? 'no package changes' : `${plural(report.changes.length, 'change')} (${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')})`;
  const count = (severity: Severity) => report.findings.filter((f) => f.severity === severity).length;
  const findingText =
    report.findings.length === 0 ? style.green('no findings') : colourOf(count('error') > 0 ? 'error' : count('warning') > 0 ? 'warning' : 'info', style)(`${plural(report.findings.length, 'finding')} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info)`);
  const incomplete = report.incomplete ? `; ${style.yellow('INCOMPLETE: part of the change could not be checked (see "Not checked")')}` : '';
  return `${changeText}; ${findingText}${incomplete}.`;
}

function colourOf(severity: Severity, style: Palette): (text: string) => string {
  return severity === 'error' ? style.red : severity === 'warning' ? style.yellow : style.cyan;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
