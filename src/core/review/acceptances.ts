/** Reads `.dependency-risk.json` `accept` entries and applies them to a review's findings: the base revision's only, unexpired. */

import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { AuditError, Finding } from '../types';
import type { Acceptance, AcceptanceUse } from './types';

/** At most this many entries are read from one file. */
const MAX_ENTRIES = 1000;
const MAX_TEXT = 500;

/**
 * Parses the file's `accept` list. Each entry needs `package` (`name` or `name@version`), `rule` and a
 * `reason`; `expires` (an ISO date) is optional. An unusable entry is reported (kind `config`) and skipped.
 */
export function parseAcceptances(file: string, text: string): { acceptances: Acceptance[]; errors: AuditError[] } {
  const errors: AuditError[] = [];
  const problems: ParseError[] = [];
  const doc: unknown = parseJsonc(text, problems, { allowTrailingComma: true });
  if (problems.length > 0 || doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return { acceptances: [], errors: [{ kind: 'config', file, message: `${file} is not a JSON object; its acceptances are not used.` }] };
  }
  const list = Object.hasOwn(doc, 'accept') ? (doc as Record<string, unknown>).accept : undefined;
  if (list === undefined) return { acceptances: [], errors };
  if (!Array.isArray(list)) return { acceptances: [], errors: [{ kind: 'config', file, message: `${file}: "accept" must be a list; its acceptances are not used.` }] };
  const acceptances: Acceptance[] = [];
  list.slice(0, MAX_ENTRIES).forEach((entry: unknown, i) => {
    const field = (key: string): string | undefined => {
      const value = entry !== null && typeof entry === 'object' && Object.hasOwn(entry, key) ? (entry as Record<string, unknown>)[key] : undefined;
      return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_TEXT ? value.trim() : undefined;
    };
    const pkg = field('package');
    const rule = field('rule');
    const reason = field('reason');
    const expires = field('expires');
    const missing = [pkg === undefined ? 'package' : '', rule === undefined ? 'rule' : '', reason === undefined ? 'reason' : ''].filter(Boolean);
    if (missing.length > 0 || pkg === undefined || rule === undefined || reason === undefined) {
      errors.push({ kind: 'config', file, message: `${file}: accept[${i}] has no ${missing.join(', ')}; it is not used (an acceptance names the package, the rule and why).` });
      return;
    }
    if (expires !== undefined && Number.isNaN(Date.parse(expires))) {
      errors.push({ kind: 'config', file, message: `${file}: accept[${i}] "expires" is not a date (${JSON.stringify(expires)}); write it as 2025-12-31. It is not used.` });
      return;
    }
    acceptances.push({ package: pkg, rule, reason, ...(expires !== undefined ? { expires } : {}), file });
  });
  if (list.length > MAX_ENTRIES) errors.push({ kind: 'config', file, message: `${file}: only the first ${MAX_ENTRIES} acceptances are read.` });
  return { acceptances, errors };
}

/** Does an acceptance cover a finding: the same rule, and the package by name or name@version? */
export function accepts(acceptance: Acceptance, finding: Finding): boolean {
  return acceptance.rule === finding.rule && (acceptance.package === finding.package || acceptance.package === `${finding.package}@${finding.version}`);
}

function isExpired(acceptance: Acceptance, now: Date): boolean {
  return acceptance.expires !== undefined && Date.parse(acceptance.expires) <= now.getTime();
}

function identity(a: Acceptance): string {
  return JSON.stringify([a.file, a.package, a.rule, a.reason, a.expires ?? null]);
}

/**
 * Applies the base revision's unexpired acceptances: each finding one covers moves from `findings` to
 * that acceptance's use. Expired acceptances are listed (they no longer apply); acceptances only the
 * head revision has are listed as `added`, and do not apply, so a change cannot accept its own findings.
 */
export function applyAcceptances(
  findings: readonly Finding[],
  base: readonly Acceptance[],
  head: readonly Acceptance[],
  now: Date,
): { findings: Finding[]; uses: AcceptanceUse[] } {
  const uses: AcceptanceUse[] = [];
  const live = base.filter((a) => !isExpired(a, now));
  const covered = new Map<Acceptance, Finding[]>();
  const remaining: Finding[] = [];
  for (const finding of findings) {
    const acceptance = live.find((a) => accepts(a, finding));
    if (acceptance === undefined) remaining.push(finding);
    else covered.set(acceptance, [...(covered.get(acceptance) ?? []), finding]);
  }
  for (const [acceptance, list] of covered) uses.push({ ...acceptance, status: 'applied', findings: list });
  for (const acceptance of base.filter((a) => isExpired(a, now))) {
    uses.push({ ...acceptance, status: 'expired', findings: findings.filter((f) => accepts(acceptance, f)) });
  }
  const known = new Set(base.map(identity));
  for (const acceptance of head.filter((a) => !known.has(identity(a)))) {
    uses.push({ ...acceptance, status: 'added', findings: findings.filter((f) => accepts(acceptance, f)) });
  }
  return { findings: remaining, uses };
}
