/** Formats a DiffReport as the documented JSON contract (docs/json-output.md, "diff"): stable key order, sorted arrays. */

import type { AcceptanceUse, ConfigChange, DiffReport, LockfileStatus, NotChecked, PackageChange } from '../../core/review/types';
import type { AuditError, Finding, Location, Policy } from '../../core/types';
import { ordered, stringifySafely, toError, toFinding, toLocation, toPolicy, type Json } from './json';
import { compareErrors, compareFindings, compareText } from './order';

/** Serialises the report with two-space indentation and a final newline; the same input always gives the same text. */
export function formatDiffJson(report: DiffReport): string {
  return `${stringifySafely(toJsonDiff(report))}\n`;
}

/** The report as a plain JSON value in the documented order. */
export function toJsonDiff(report: DiffReport): Json {
  const findings = (list: unknown) => [...(list as readonly Finding[])].sort(compareFindings).map(toFinding);
  return ordered(
    report,
    ['schemaVersion', 'root', 'base', 'head', 'now', 'incomplete', 'policy', 'changedFiles', 'lockfiles', 'changes', 'findings', 'configChanges', 'accepted', 'notChecked', 'errors'],
    {
      base: (value) => ordered(value as object, ['ref', 'commit', 'kind', 'mergeBaseWith'], {}),
      head: (value) => ordered(value as object, ['ref', 'commit', 'kind'], {}),
      policy: (value) => toPolicy(value as Policy),
      changedFiles: (value) => [...(value as readonly string[])].sort(compareText),
      lockfiles: (value) => [...(value as readonly LockfileStatus[])].sort((a, b) => compareText(a.file, b.file)).map((l) => ordered(l, ['file', 'manager', 'format', 'status', 'reason'], {})),
      changes: (value) => [...(value as readonly PackageChange[])].sort(compareChanges).map(toChange),
      findings,
      configChanges: (value) =>
        [...(value as readonly ConfigChange[])]
          .sort((a, b) => compareText(a.file, b.file) || compareText(a.setting, b.setting))
          .map((c) => ordered(c, ['file', 'setting', 'before', 'after', 'weakens', 'message'], {})),
      accepted: (value) =>
        [...(value as readonly AcceptanceUse[])]
          .sort((a, b) => compareText(a.file, b.file) || compareText(a.package, b.package) || compareText(a.rule, b.rule) || compareText(a.status, b.status))
          .map((a) => ordered(a, ['package', 'rule', 'reason', 'expires', 'file', 'status', 'findings'], { findings })),
      notChecked: (value) =>
        [...(value as readonly NotChecked[])].sort((a, b) => compareText(a.name, b.name) || compareText(a.version, b.version)).map((n) => ordered(n, ['name', 'version', 'reason'], {})),
      errors: (value) => [...(value as readonly AuditError[])].sort(compareErrors).map(toError),
    },
  );
}

function toChange(change: PackageChange): Json {
  return ordered(
    change,
    ['kind', 'file', 'name', 'from', 'to', 'level', 'direct', 'scope', 'via', 'workspace', 'source', 'before', 'after', 'others', 'location', 'message'],
    { location: (value) => toLocation(value as Location) },
  );
}

/** By file, name, then version; a package's changes keep the engine's order (kind) otherwise. */
export function compareChanges(a: PackageChange, b: PackageChange): number {
  return compareText(a.file, b.file) || compareText(a.name, b.name) || compareText(a.to ?? a.from ?? '', b.to ?? b.from ?? '') || compareText(a.kind, b.kind);
}
