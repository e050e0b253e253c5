/** Orderings and paths shared by the formatters, so every output format sorts and names files alike. */

import * as path from 'node:path';
import type { AuditError, Finding, Severity } from '../../core/types';

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

/** Negative when `a` is more severe than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[a] - SEVERITY_RANK[b];
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By file, line, column, rule id, package, version; findings without a location come last. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.location === undefined || b.location === undefined) {
    if (a.location !== b.location) return a.location === undefined ? 1 : -1;
  } else {
    const byPlace =
      compareText(a.location.file, b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column;
    if (byPlace !== 0) return byPlace;
  }
  return compareText(a.rule, b.rule) || compareText(a.package, b.package) || compareText(a.version, b.version) || compareText(a.message, b.message);
}

/** By file, package, kind, message. */
export function compareErrors(a: AuditError, b: AuditError): number {
  return (
    compareText(a.file ?? '', b.file ?? '') ||
    compareText(a.package ?? '', b.package ?? '') ||
    compareText(a.kind, b.kind) ||
    compareText(a.message, b.message)
  );
}

/** The file as a forward-slash path relative to the audited folder; absolute paths outside it stay absolute. */
export function relativeToRoot(file: string, root: string): string {
  const style = /^[a-zA-Z]:[\\/]|^\\\\/.test(file) || /^[a-zA-Z]:[\\/]|^\\\\/.test(root) ? path.win32 : path.posix;
  if (!style.isAbsolute(file)) return toForwardSlashes(style.normalize(file));
  if (!style.isAbsolute(root)) return toForwardSlashes(file);
  const relative = style.relative(root, file);
  if (relative === '..' || relative.startsWith(`..${style.sep}`) || style.isAbsolute(relative)) return toForwardSlashes(file);
  return toForwardSlashes(relative);
}

function toForwardSlashes(file: string): string {
  return file.replace(/\\/g, '/');
}

/** `a > b > c` for a transitive finding's chain; undefined for a direct dependency. */
export function describeVia(via: readonly string[] | undefined): string | undefined {
  return via !== undefined && via.length > 1 ? via.join(' > ') : undefined;
}

/** `subject: message`, unless the message already names its subject (our messages name `package@version`). */
export function nameSubject(message: string, subject: string): string {
  return message.includes(subject) ? message : `${subject}: ${message}`;
}
