/** Formats an AuditReport as the documented JSON contract (docs/json-output.md): stable key order, sorted arrays. */

import type { AuditError, AuditReport, Finding, FixPlan, Location, PackageCoverage, Policy } from '../../core/types';
import { compareErrors, compareFindings, compareText } from './order';

export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/**
 * Serialises the report as is (schemaVersion 1) with two-space indentation and a final newline.
 * Keys follow the documented order, open records (evidence, severities, origins) are sorted by key,
 * and findings are sorted by file, line, column, rule id, package and version, so runs can be diffed.
 */
export function formatJson(report: AuditReport): string {
  return `${stringifySafely(toJsonReport(report))}\n`;
}

/** The report as a plain JSON value in the documented order; `formatJson` and tests share it. */
export function toJsonReport(report: AuditReport): Json {
  return ordered(report, ['schemaVersion', 'root', 'now', 'policy', 'findings', 'packages', 'errors', 'fixes'], {
    policy: (policy) => toPolicy(policy as Policy),
    findings: (findings) => [...(findings as readonly Finding[])].sort(compareFindings).map(toFinding),
    packages: (packages) => [...(packages as readonly PackageCoverage[])].sort(comparePackages).map(toPackage),
    errors: (errors) => [...(errors as readonly AuditError[])].sort(compareErrors).map(toError),
    fixes: (fixes) => [...(fixes as readonly FixPlan[])].sort(compareFixes).map(toFix),
  });
}

export function toPolicy(policy: Policy): Json {
  return ordered(policy, ['minReleaseAgeDays', 'minReleaseAgeExclude', 'allowScripts', 'severities', 'include', 'ignore', 'origins'], {});
}

export function toFinding(finding: Finding): Json {
  return ordered(finding, ['rule', 'severity', 'package', 'version', 'message', 'evidence', 'location', 'via'], {
    location: (location) => toLocation(location as Location),
  });
}

function toPackage(pkg: PackageCoverage): Json {
  return ordered(pkg, ['name', 'version', 'direct', 'dev', 'optional', 'source', 'checked', 'reason'], {});
}

export function toError(error: AuditError): Json {
  return ordered(error, ['file', 'package', 'kind', 'message', 'location'], {
    location: (location) => toLocation(location as Location),
  });
}

function toFix(fix: FixPlan): Json {
  return ordered(fix, ['package', 'from', 'to', 'toPublishedAt', 'kind', 'file', 'edits', 'addresses'], {
    edits: (edits) => (edits as FixPlan['edits']).map((edit) => ordered(edit, ['offset', 'length', 'text'], {})),
  });
}

export function toLocation(location: Location): Json {
  return ordered(location, ['file', 'offset', 'length', 'line', 'column'], {});
}

/**
 * Copies `value` with the listed keys first, in that order, then any other keys sorted (fields added
 * later keep a stable place); `undefined` values are dropped as JSON.stringify would drop them.
 */
export function ordered(value: object, keys: readonly string[], convert: Readonly<Record<string, (value: unknown) => Json>>): Json {
  const source = value as Readonly<Record<string, unknown>>;
  const rest = Object.keys(source).filter((key) => !keys.includes(key)).sort(compareText);
  const result: Record<string, Json> = {};
  for (const key of [...keys, ...rest]) {
    const field = source[key];
    if (field === undefined) continue;
    const converter = convert[key];
    setOwn(result, key, converter !== undefined ? converter(field) : sortRecords(field));
  }
  return result;
}

/** Plain data with every object's keys sorted (evidence, severities, origins, allowScripts). */
export function sortRecords(value: unknown): Json {
  if (value === null || typeof value !== 'object') return value as Json;
  if (Array.isArray(value)) return value.map(sortRecords);
  const record = value as Readonly<Record<string, unknown>>;
  const result: Record<string, Json> = {};
  for (const key of Object.keys(record).sort(compareText)) {
    if (record[key] !== undefined) setOwn(result, key, sortRecords(record[key]));
  }
  return result;
}

/**
 * Defines an own, enumerable field, as JSON.parse would. Plain assignment of a key such as
 * `__proto__` (an allowScripts entry from package.json) sets the prototype instead, and the entry
 * vanishes from the report (issue 7).
 */
function setOwn(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function comparePackages(a: PackageCoverage, b: PackageCoverage): number {
  return compareText(a.name, b.name) || compareText(a.version, b.version);
}

function compareFixes(a: FixPlan, b: FixPlan): number {
  return compareText(a.package, b.package) || compareText(a.from, b.from) || compareText(a.kind, b.kind);
}

// JSON.stringify leaves DEL, C1 controls and bidi overrides raw (they are legal in JSON strings), and
// `cat out.json` would hand them to the terminal. Escaping them keeps the JSON equal after parsing.
const RAW_CONTROLS = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON.stringify with terminal-unsafe characters escaped as `\uXXXX`; parses back to the same value. */
export function stringifySafely(value: Json): string {
  return JSON.stringify(value, null, 2).replace(RAW_CONTROLS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
