/** Formats a content inspection (`dependency-risk inspect`) as text for people or as JSON (schemaVersion 1). */

import type { PackageInspection } from '../../core/contents/inspect';
import type { Finding } from '../../core/types';
import { createPalette, neutralise, neutraliseLine, type Palette } from '../terminal';

const MAX_FILES_LISTED = 40;
const INDENT = ' '.repeat(11);

/** The JSON contract of `inspect --format json`: stable key order, findings sorted by severity then rule. */
export function formatInspectJson(result: PackageInspection): string {
  const diff = result.diff;
  const value = {
    schemaVersion: 1,
    package: result.package,
    version: result.version,
    previousVersion: result.previousVersion ?? null,
    sizes: result.sizes ?? null,
    files: diff === undefined ? null : { added: diff.added, removed: diff.removed, grown: diff.grown, changed: diff.changed },
    installScripts: diff?.installTargets ?? [],
    findings: [...result.findings].sort(compareFindings).map((f) => ({ rule: f.rule, severity: f.severity, package: f.package, version: f.version, message: f.message, evidence: sortKeys(f.evidence) })),
    errors: result.errors.map((e) => ({ kind: e.kind, package: e.package ?? null, message: e.message })),
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Text: the comparison, the files that changed, the install scripts and what they run, then the findings with their evidence. */
export function formatInspectText(result: PackageInspection, options: { readonly color: boolean }): string {
  const style = createPalette(options.color);
  const name = `${result.package}@${result.version}`;
  const sections: string[] = [];
  const against = result.previousVersion === undefined ? 'no earlier release to compare with' : `compared with ${result.previousVersion}`;
  sections.push(style.bold(neutraliseLine(`${name}: ${against}`)));
  const diff = result.diff;
  if (diff !== undefined) {
    const sizes = result.sizes;
    const now = sizes === undefined ? '' : ` (${sizes.after.files} files, ${size(sizes.after.bytes)}${sizes.before === undefined ? '' : `; was ${sizes.before.files} files, ${size(sizes.before.bytes)}`})`;
    const lines = [
      ...diff.added.map((path) => `  + ${path}`),
      ...diff.removed.map((path) => `  - ${path}`),
      ...diff.grown.map((file) => `  ↑ ${file.path} (${size(file.before)} → ${size(file.after)})`),
      ...diff.changed.map((file) => `  ~ ${file.path} (${size(file.before)} → ${size(file.after)})`),
    ];
    const shown = lines.slice(0, MAX_FILES_LISTED).map(neutraliseLine);
    if (lines.length > shown.length) shown.push(`  … and ${lines.length - shown.length} more`);
    sections.push(
      [`Files: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.grown.length} grown, ${diff.changed.length} changed${now}`, ...shown].join('\n'),
    );
    const scripts = diff.installTargets.map((target) => {
      const file = target.file === undefined ? 'no file of the package' : `${target.file} (${target.fileStatus})`;
      const was = target.previousCommand === undefined ? 'new' : target.previousCommand === target.command ? 'unchanged' : `was ${JSON.stringify(target.previousCommand)}`;
      return `  ${neutraliseLine(`${target.hook}: ${JSON.stringify(target.command)} (${was}) runs ${file}`)}`;
    });
    sections.push(scripts.length === 0 ? 'Install scripts: none' : ['Install scripts:', ...scripts].join('\n'));
  }
  const findings = [...result.findings].sort(compareFindings);
  if (findings.length > 0) sections.push(findings.map((finding) => formatFinding(finding, style)).join('\n'));
  if (result.errors.length > 0) sections.push([style.bold('Not inspected'), ...result.errors.map((e) => `  ${neutralise(e.message)}`)].join('\n'));
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  const summary =
    findings.length === 0
      ? result.errors.length === 0 || diff !== undefined
        ? 'No content findings.'
        : 'Nothing was inspected.'
      : `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info.`;
  sections.push(summary);
  return `${sections.join('\n\n')}\n`;
}

function formatFinding(finding: Finding, style: Palette): string {
  const colour = finding.severity === 'error' ? style.red : finding.severity === 'warning' ? style.yellow : style.cyan;
  const label = colour(finding.severity) + ' '.repeat(9 - finding.severity.length);
  const lines = [`  ${label}${style.dim(neutraliseLine(finding.rule))}  ${neutralise(finding.message).replace(/\n/g, `\n${INDENT}`)}`];
  const file = finding.evidence['file'];
  const line = finding.evidence['line'];
  const excerpt = finding.evidence['excerpt'];
  if (typeof file === 'string') lines.push(`${INDENT}${style.dim(neutraliseLine(`${file}${typeof line === 'number' ? `:${line}` : ''}`))}`);
  if (typeof excerpt === 'string') lines.push(`${INDENT}${style.dim('│')} ${neutraliseLine(excerpt)}`);
  return lines.join('\n');
}

function compareFindings(a: Finding, b: Finding): number {
  const rank = (f: Finding) => (f.severity === 'error' ? 0 : f.severity === 'warning' ? 1 : 2);
  return rank(a) - rank(b) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || String(a.evidence['file'] ?? '').localeCompare(String(b.evidence['file'] ?? ''));
}

function sortKeys<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))) as T;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
