/** Writes GitHub Actions workflow commands and files: line annotations, step outputs and the job summary, escaped as the runner expects. */

import type { Finding, Severity } from '../core/types';
import { compareFindings, compareSeverity } from '../cli/formatters/order';
import { neutralise } from '../core/neutralise';

/** GitHub shows at most 10 annotations of each level per step; the rest are dropped, so the most severe go first. */
export const ANNOTATIONS_PER_LEVEL = 10;

const COMMAND: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * `::error file=package-lock.json,line=12,title=install-script-added::message` lines for the
 * findings located in a file, most severe first, at most ANNOTATIONS_PER_LEVEL per level. Data and
 * properties are escaped (`%`, CR, LF; `:` and `,` in properties) so package text cannot end the
 * command or start another one.
 */
export function formatAnnotations(findings: readonly Finding[]): string {
  const sorted = [...findings].filter((f) => f.location !== undefined).sort((a, b) => compareSeverity(a.severity, b.severity) || compareFindings(a, b));
  const used: Record<string, number> = {};
  const lines: string[] = [];
  for (const finding of sorted) {
    const level = COMMAND[finding.severity];
    if ((used[level] ?? 0) >= ANNOTATIONS_PER_LEVEL) continue;
    used[level] = (used[level] ?? 0) + 1;
    const location = finding.location!;
    const properties = [`file=${escapeProperty(location.file)}`, `line=${location.line}`, `col=${location.column}`, `title=${escapeProperty(`Dependency Risk: ${finding.rule}`)}`];
    lines.push(`::${level} ${properties.join(',')}::${escapeData(neutralise(finding.message))}\n`);
  }
  return lines.join('');
}

/** One `name<<delimiter` block for $GITHUB_OUTPUT; the delimiter is chosen so the value cannot contain it. */
export function formatOutput(name: string, value: string): string {
  let delimiter = 'DEPENDENCY_RISK_EOF';
  while (value.includes(delimiter)) delimiter += '_';
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** A `::warning::` line (no file). */
export function formatWarning(message: string): string {
  return `::warning::${escapeData(neutralise(message))}\n`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
