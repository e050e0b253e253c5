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
  /**
   * A hard cap on the text's length, e.g. 60,000 for a pull-request comment (GitHub allows 65,536):
   * rows beyond it are counted, not shown. No cap by default.
   */
  readonly maxLength?: number;
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
  const out = createOutput(options.maxLength);
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
  out.must('## Dependency Risk', '', `${verdict}${report.incomplete ? ' **Incomplete:** part of the change could not be checked (see below).' : ''}`, '');
  const lockfiles = report.lockfiles.slice(0, 20).map((l) => `${code(l.file)} (${l.status})`).join(', ') + (report.lockfiles.length > 20 ? `, … ${report.lockfiles.length - 20} more` : '');
  out.must(
    `${revision(report.base)} → ${revision(report.head)} · lockfiles: ${lockfiles || 'none'} · ` +
      `policy of the base revision: ${report.policy.minReleaseAgeDays} days (${escape(report.policy.origins.minReleaseAgeDays ?? 'default', 100)}) · evaluated ${code(report.now)}`,
    '',
  );

  // Blocking findings first, never folded away; what does not fit is counted.
  const shownBlockers = out.each(blockers, (f) => [`> [!CAUTION]`, `> **${code(subject(f))}** · ${code(f.rule)} · ${f.severity}`, `> ${escape(f.message, MAX_MESSAGE)}`, '']);
  if (shownBlockers < blockers.length) out.must(`**… and ${plural(blockers.length - shownBlockers, 'more blocking finding')}**, not shown for length: see the JSON report.`, '');
  if (findings.length > 0) {
    out.must('| | errors | warnings | info |', '|---|---|---|---|', `| findings | ${count('error')} | ${count('warning')} | ${count('info')} |`, '');
    const others = findings.filter((f) => !blocking(f));
    if (others.length > 0) {
      out.must(`<details><summary>Other findings (${others.length})</summary>`, '', '| severity | package | rule | message |', '|---|---|---|---|');
      const shown = out.each(others.slice(0, MAX_ROWS), (f) => [`| ${f.severity} | ${code(subject(f))} | ${code(f.rule)} | ${escape(f.message, MAX_MESSAGE)} |`]);
      if (shown < others.length) out.must(`| | | | … and ${others.length - shown} more |`);
      out.must('', '</details>', '');
    }
  }

  const changes = [...report.changes].sort(compareChanges);
  for (const group of GROUPS) {
    const rows = changes.filter((c) => group.kinds.includes(c.kind));
    if (rows.length === 0) continue;
    out.must(`<details><summary>${group.title} (${rows.length})</summary>`, '', '| package | change | level | scope | via | file | details |', '|---|---|---|---|---|---|---|');
    const shown = out.each(rows.slice(0, MAX_ROWS), (c) => {
      const change = c.from !== undefined && c.to !== undefined && c.from !== c.to ? `${code(c.from)} → ${code(c.to)}` : code(c.to ?? c.from ?? '');
      const via = c.via === undefined ? (c.direct ? 'direct' : '') : code(c.via.join(' > '));
      return [`| ${code(c.name)} | ${change} | ${c.level ?? ''} | ${c.scope}${c.workspace === undefined ? '' : ` (${code(c.workspace)})`} | ${via} | ${code(c.file)} | ${escape(detailOf(c), MAX_MESSAGE)} |`];
    });
    if (shown < rows.length) out.must(`| … and ${rows.length - shown} more | | | | | | |`);
    out.must('', '</details>', '');
  }

  if (report.configChanges.length > 0) {
    out.must('### Policy and tooling changes', '');
    const list = [...report.configChanges].sort((a, b) => compareText(a.file, b.file) || compareText(a.setting, b.setting));
    const shown = out.each(list, (c) => [`- ${code(c.file)}: ${escape(c.message, MAX_MESSAGE)}${c.weakens ? ' **Weakens the policy.**' : ''}`]);
    if (shown < list.length) out.must(`- … and ${list.length - shown} more`);
    out.must('');
  }
  if (report.accepted.length > 0) {
    out.must('### Accepted findings', '');
    const shown = out.each(report.accepted, (a) => {
      const status = a.status === 'applied' ? `accepts ${plural(a.findings.length, 'finding')}` : a.status === 'expired' ? '**expired**, no longer applies' : '**added by this change**: applies once merged, not to this review';
      return [`- ${code(a.package)} ${code(a.rule)} in ${code(a.file)}: ${escape(a.reason, 200)}${a.expires === undefined ? '' : ` (expires ${code(a.expires)})`}: ${status}`];
    });
    if (shown < report.accepted.length) out.must(`- … and ${report.accepted.length - shown} more`);
    out.must('');
  }
  const notChecked = [...report.notChecked.map((n) => `${code(`${n.name}@${n.version}`)}: ${escape(n.reason, 300)}`), ...report.errors.map((e) => `${code(e.file ?? e.package ?? e.kind)}: ${escape(e.message, 300)}`)];
  if (notChecked.length > 0) {
    out.must('### Not checked', '');
    const shown = out.each(notChecked.slice(0, MAX_ROWS), (line) => [`- ${line}`]);
    if (shown < notChecked.length) out.must(`- … and ${notChecked.length - shown} more`);
    out.must('');
  }
  out.must(`Reproduce locally: ${code(reproduce(report))}`, '');
  return out.text();
}

/** Room kept for the lines that are always written (section headers, "… and N more", the footer) once the budget is reached. */
const RESERVE = 4000;

/**
 * Output lines with a length budget: `must` lines are always written; `each` writes an item's lines
 * while they fit and returns how many items it wrote, and once one does not fit no later item is
 * written, so the counts printed beside the tables stay exact and the text stays under `maxLength`.
 */
function createOutput(maxLength: number | undefined) {
  const lines: string[] = [];
  let used = 0;
  let full = false;
  const room = maxLength === undefined ? Infinity : Math.max(0, maxLength - RESERVE);
  const add = (items: readonly string[]) => {
    for (const line of items) {
      lines.push(line);
      used += line.length + 1;
    }
  };
  return {
    must: (...items: string[]) => add(items),
    each<T>(items: readonly T[], render: (item: T) => string[]): number {
      let written = 0;
      for (const item of items) {
        const rendered = render(item);
        const size = rendered.reduce((sum, line) => sum + line.length + 1, 0);
        if (full || used + size > room) {
          full = true;
          break;
        }
        add(rendered);
        written++;
      }
      return written;
    },
    text: () => lines.join('\n'),
  };
}

function subject(f: Finding): string {
  return f.version === '' ? f.package : `${f.package}@${f.version}`;
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
