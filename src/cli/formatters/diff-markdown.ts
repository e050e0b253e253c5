/**
 * Formats a DiffReport as GitHub-flavoured Markdown (a job summary or a pull-request comment): verdict,
 * blocking findings as alert blocks, counts, then collapsible tables of changes. Every string from a
 * package or the repository is escaped or put in a code span, and cut: no raw HTML, links or
 * @mentions can come from package data.
 */

import type { DiffReport, PackageChange, RevisionInfo } from '../../core/review/types';
import type { Finding, Severity } from '../../core/types';
import type { FailOn } from '../args';
import { compareChanges } from './diff-json';
import { compareFindings, compareSeverity, compareText } from './order';

export interface DiffMarkdownOptions {
  /** Findings that reach this severity are blocking (shown first, as alert blocks). */
  readonly failOn: FailOn;
}

const MAX_MESSAGE = 600;
const MAX_CODE = 100;
/** Rows per table; the counts above the tables stay exact. */
const MAX_ROWS = 200;

const GROUPS: readonly { readonly title: string; readonly kinds: readonly PackageChange['kind'][] }[] = [
  { title: 'Upgraded', kinds: ['upgraded'] },
  { title: 'Added', kinds: ['added', 'added-alongside'] },
  { title: 'Downgraded', kinds: ['downgraded'] },
  { title: 'Changed', kinds: ['changed'] },
  { title: 'Source or integrity changed', kinds: ['source-changed', 'integrity-changed'] },
  { title: 'Removed', kinds: ['removed'] },
];

export function formatDiffMarkdown(report: DiffReport, options: DiffMarkdownOptions): string {
  const out: string[] = ['## Dependency Risk', ''];
  const blocking = (f: Finding) => options.failOn !== 'never' && (f.severity === 'error' || (options.failOn === 'warning' && f.severity === 'warning'));
  const findings = [...report.findings].sort((a, b) => compareSeverity(a.severity, b.severity) || compareFindings(a, b));
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const blockers = findings.filter(blocking);
  const verdict =
    report.changedFiles.length === 0 && report.errors.length === 0
      ? 'No dependency file changed.'
      : blockers.length > 0
        ? `**${plural(blockers.length, 'blocking finding')}** in ${plural(report.changes.length, 'dependency change')}.`
        : findings.length > 0
          ? `${plural(findings.length, 'finding')}, none blocking, in ${plural(report.changes.length, 'dependency change')}.`
          : `No findings in ${plural(report.changes.length, 'dependency change')}.`;
  out.push(`${verdict}${report.incomplete ? ' **Incomplete:** part of the change could not be checked (see below).' : ''}`, '');
  out.push(
    `${revision(report.base)} → ${revision(report.head)} · lockfiles: ${report.lockfiles.map((l) => `${code(l.file)} (${l.status})`).join(', ') || 'none'} · ` +
      `policy of the base revision: ${report.policy.minReleaseAgeDays} days (${escape(report.policy.origins.minReleaseAgeDays ?? 'default')}) · evaluated ${code(report.now)}`,
    '',
  );

  for (const f of blockers) {
    out.push(`> [!CAUTION]`, `> **${code(f.version === '' ? f.package : `${f.package}@${f.version}`)}** · ${code(f.rule)} · ${f.severity}`, `> ${escape(f.message, MAX_MESSAGE)}`, '');
  }
  if (findings.length > 0) {
    out.push('| | errors | warnings | info |', '|---|---|---|---|', `| findings | ${count('error')} | ${count('warning')} | ${count('info')} |`, '');
    const others = findings.filter((f) => !blocking(f));
    if (others.length > 0) {
      out.push(`<details><summary>Other findings (${others.length})</summary>`, '', '| severity | package | rule | message |', '|---|---|---|---|');
      for (const f of others.slice(0, MAX_ROWS)) out.push(`| ${f.severity} | ${code(f.version === '' ? f.package : `${f.package}@${f.version}`)} | ${code(f.rule)} | ${escape(f.message, MAX_MESSAGE)} |`);
      if (others.length > MAX_ROWS) out.push(`| | | | … and ${others.length - MAX_ROWS} more |`);
      out.push('', '</details>', '');
    }
  }

  const changes = [...report.changes].sort(compareChanges);
  for (const group of GROUPS) {
    const rows = changes.filter((c) => group.kinds.includes(c.kind));
    if (rows.length === 0) continue;
    out.push(`<details><summary>${group.title} (${rows.length})</summary>`, '', '| package | change | level | scope | via | file | details |', '|---|---|---|---|---|---|---|');
    for (const c of rows.slice(0, MAX_ROWS)) {
      const change = c.from !== undefined && c.to !== undefined && c.from !== c.to ? `${code(c.from)} → ${code(c.to)}` : code(c.to ?? c.from ?? '');
      const via = c.via === undefined ? (c.direct ? 'direct' : '') : code(c.via.join(' > '));
      out.push(`| ${code(c.name)} | ${change} | ${c.level ?? ''} | ${c.scope}${c.workspace === undefined ? '' : ` (${code(c.workspace)})`} | ${via} | ${code(c.file)} | ${escape(detailOf(c), MAX_MESSAGE)} |`);
    }
    if (rows.length > MAX_ROWS) out.push(`| … and ${rows.length - MAX_ROWS} more | | | | | | |`);
    out.push('', '</details>', '');
  }

  if (report.configChanges.length > 0) {
    out.push('### Policy and tooling changes', '');
    for (const c of [...report.configChanges].sort((a, b) => compareText(a.file, b.file) || compareText(a.setting, b.setting))) {
      out.push(`- ${code(c.file)}: ${escape(c.message, MAX_MESSAGE)}${c.weakens ? ' **Weakens the policy.**' : ''}`);
    }
    out.push('');
  }
  if (report.accepted.length > 0) {
    out.push('### Accepted findings', '');
    for (const a of report.accepted) {
      const status = a.status === 'applied' ? `accepts ${plural(a.findings.length, 'finding')}` : a.status === 'expired' ? '**expired**, no longer applies' : '**added by this change**: applies once merged, not to this review';
      out.push(`- ${code(a.package)} ${code(a.rule)} in ${code(a.file)}: ${escape(a.reason, 200)}${a.expires === undefined ? '' : ` (expires ${code(a.expires)})`}: ${status}`);
    }
    out.push('');
  }
  const notChecked = [...report.notChecked.map((n) => `${code(`${n.name}@${n.version}`)}: ${escape(n.reason, 300)}`), ...report.errors.map((e) => `${code(e.file ?? e.package ?? e.kind)}: ${escape(e.message, 300)}`)];
  if (notChecked.length > 0) {
    out.push('### Not checked', '', ...notChecked.slice(0, MAX_ROWS).map((line) => `- ${line}`), ...(notChecked.length > MAX_ROWS ? [`- … and ${notChecked.length - MAX_ROWS} more`] : []), '');
  }
  out.push(`Reproduce locally: ${code(reproduce(report))}`, '');
  return `${out.join('\n')}`;
}

function detailOf(change: PackageChange): string {
  const colon = change.message.indexOf(': ');
  return colon < 0 ? '' : change.message.slice(colon + 2);
}

function revision(info: RevisionInfo): string {
  const commit = info.commit === undefined ? '' : ` ${code(info.commit.slice(0, 12))}`;
  return info.mergeBaseWith !== undefined ? `merge base of ${code(info.ref)} and ${code(info.mergeBaseWith)}${commit}` : `${code(info.ref)}${commit}`;
}

function reproduce(report: DiffReport): string {
  const base = `--base ${report.base.ref}`;
  if (report.head.kind === 'index') return `dependency-risk diff ${base} --staged`;
  if (report.head.kind === 'worktree') return `dependency-risk diff ${base} --worktree`;
  return report.base.mergeBaseWith !== undefined ? `dependency-risk diff ${base}` : `dependency-risk diff ${base} --head ${report.head.ref}`;
}

/**
 * A code span its content cannot close (backticks become `'`), on one line and cut; inside it GitHub
 * renders no links, HTML, emphasis or mentions.
 */
export function code(text: string, max = MAX_CODE): string {
  const flat = oneLine(text).replace(/`/g, "'");
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return `\`${cut === '' ? ' ' : cut}\``;
}

/**
 * Text for Markdown outside code spans: one line, cut, with every character that starts Markdown or
 * HTML syntax escaped, URLs broken so they are not linked, and `@` and `#` kept from mentioning or
 * referencing anyone.
 */
export function escape(text: string, max = MAX_MESSAGE): string {
  const flat = oneLine(text);
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return cut
    .replace(/:\/\//g, ':\u200b//')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\u200b.`)
    .replace(/[\\`*_{}[\]()<>#+!|~=:&-]/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b');
}

function oneLine(text: string): string {
  // Controls and bidi overrides would survive into the rendered comment; drop them with the line breaks.
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
