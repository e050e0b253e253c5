/**
 * Renders the GitHub Action's sticky pull-request comment from a DiffReport: a hidden marker that
 * finds the comment again, the diff Markdown (verdict, blocking findings as alert blocks, counts,
 * collapsible tables), and a note when an earlier push's findings are fixed, within GitHub's size limit.
 */

import { code, formatDiffMarkdown } from '../cli/formatters/diff-markdown';
import type { FailOn } from '../cli/args';
import type { DiffReport } from '../core/review/types';
import type { Finding } from '../core/types';

/** Starts every comment the Action writes; the Action edits the comment whose body starts with it. */
export const COMMENT_MARKER = '<!-- dependency-risk:pull-request-comment';

/** GitHub rejects a comment body over 65,536 characters; the rest is headroom for the marker line and edits. */
export const COMMENT_BUDGET = 60_000;

/** The Action's `comment` input. */
export type CommentMode = 'always' | 'on-findings' | 'never';

export interface CommentOptions {
  readonly failOn: FailOn;
  /** The body of the sticky comment the pull request already has, if any. */
  readonly previous?: string;
}

/** What to do with the sticky comment. */
export type CommentAction = 'create' | 'update' | 'keep' | 'none';

/**
 * The comment's Markdown, at most COMMENT_BUDGET characters. The first line is the hidden marker with
 * the counts it states (`blocking=2 findings=5`), so a later run can say that earlier findings are fixed
 * instead of dropping them silently. Only the marker and the fixed `<details>` tags are HTML; every
 * string from the report goes through the Markdown formatter's code spans and escaping.
 */
export function renderPullRequestComment(report: DiffReport, options: CommentOptions): string {
  const blocking = report.findings.filter((f) => isBlocking(f, options.failOn)).length;
  const marker = `${COMMENT_MARKER} blocking=${blocking} findings=${report.findings.length} -->`;
  const previous = options.previous === undefined ? undefined : readMarker(options.previous);
  const notes: string[] = [];
  if (previous !== undefined && previous.blocking > 0 && blocking === 0) {
    notes.push(`The ${plural(previous.blocking, 'blocking finding')} reported for an earlier push ${previous.blocking === 1 ? 'is' : 'are'} fixed.`, '');
  }
  const registries = report.configChanges.filter((c) => /registry/i.test(c.setting));
  if (registries.length > 0) {
    const shown = registries.slice(0, 10).map((c) => `${code(c.file)} ${code(c.setting)}`).join(', ');
    notes.push(`Registries changed by this pull request (reported, not contacted with a token): ${shown}${registries.length > 10 ? `, … ${registries.length - 10} more` : ''}.`, '');
  }
  const extra = notes.reduce((sum, line) => sum + line.length + 1, marker.length + 2);
  const lines = formatDiffMarkdown(report, { failOn: options.failOn, maxLength: COMMENT_BUDGET - extra }).split('\n');
  // The formatter starts with the heading, a blank line, the verdict and a blank line: the notes follow the verdict.
  lines.splice(4, 0, ...notes);
  return `${[marker, ...lines].join('\n')}\n`;
}

/**
 * Whether to post, edit or leave the sticky comment. No comment is started when no dependency file
 * changed, or (`on-findings`) when there is nothing to report; an existing one is still edited, so
 * fixed findings are announced rather than left stale. A body that differs only in its evaluation
 * time is not sent again (every run has a new one).
 */
export function decideComment(report: DiffReport, mode: CommentMode, body: string, previous: string | undefined): CommentAction {
  if (mode === 'never') return 'none';
  if (previous !== undefined) return withoutTime(previous) === withoutTime(body) ? 'keep' : 'update';
  if (report.changedFiles.length === 0 && report.errors.length === 0) return 'none';
  if (mode === 'on-findings' && report.findings.length === 0 && !report.incomplete) return 'none';
  return 'create';
}

/** Is this body one of ours (it starts with the marker)? */
export function isStickyComment(body: string): boolean {
  return body.startsWith(COMMENT_MARKER);
}

function withoutTime(body: string): string {
  return body.replace(/ · evaluated `[^`\n]*`/, '').trimEnd();
}

function readMarker(body: string): { readonly blocking: number; readonly findings: number } | undefined {
  const match = /^<!-- dependency-risk:pull-request-comment blocking=(\d+) findings=(\d+) -->/.exec(body);
  return match === null ? undefined : { blocking: Number(match[1]), findings: Number(match[2]) };
}

// Same test as the Markdown formatter's: the findings that reach `fail-on`.
function isBlocking(f: Finding, failOn: FailOn): boolean {
  return failOn !== 'never' && (f.severity === 'error' || (failOn === 'warning' && f.severity === 'warning'));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
