/** Reads the extension's diagnostics as plain data, and waits for them on `onDidChangeDiagnostics` with a deadline. */

import * as assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';

export const SOURCE = 'Dependency Risk';

/** A diagnostic as a user sees it; ranges are 0-based `[line, character, endLine, endCharacter]`. */
export interface SeenDiagnostic {
  readonly range: readonly [number, number, number, number];
  readonly severity: 'error' | 'warning' | 'info' | 'hint';
  readonly message: string;
  readonly code?: { readonly value: string; readonly target: string };
  readonly related?: readonly { readonly file: string; readonly range: readonly [number, number, number, number]; readonly message: string }[];
}

const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

/** Our diagnostics on `uri` (other sources filtered out), sorted by position, then rule, then message. */
export function seenDiagnostics(uri: vscode.Uri): SeenDiagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === SOURCE)
    .map(toSeen)
    .sort((a, b) => compareRanges(a.range, b.range) || (a.code?.value ?? '').localeCompare(b.code?.value ?? '') || a.message.localeCompare(b.message));
}

function toSeen(d: vscode.Diagnostic): SeenDiagnostic {
  const code = typeof d.code === 'object' ? { value: String(d.code.value), target: d.code.target.toString() } : undefined;
  return {
    range: rangeTuple(d.range),
    severity: SEVERITY[d.severity],
    message: d.message,
    ...(code ? { code } : {}),
    ...(d.relatedInformation?.length
      ? { related: d.relatedInformation.map((r) => ({ file: r.location.uri.fsPath, range: rangeTuple(r.location.range), message: r.message })) }
      : {}),
  };
}

export function rangeTuple(range: vscode.Range): [number, number, number, number] {
  return [range.start.line, range.start.character, range.end.line, range.end.character];
}

function compareRanges(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * Resolves with our diagnostics on `uri` once `done` accepts them, checking now and on every
 * `onDidChangeDiagnostics` for `uri`. Rejects after `timeoutMs` with what was last seen.
 */
export function waitForDiagnostics(uri: vscode.Uri, done: (seen: SeenDiagnostic[]) => boolean, what: string, timeoutMs = 15_000): Promise<SeenDiagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const seen = seenDiagnostics(uri);
      if (!done(seen)) return false;
      finish();
      resolve(seen);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${what}: not seen on ${vscode.workspace.asRelativePath(uri)} within ${timeoutMs} ms; last seen:\n${JSON.stringify(seenDiagnostics(uri), null, 2)}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}

/** Resolves at the next `onDidChangeDiagnostics` for `uri` (a publish, even of the same diagnostics); rejects after `timeoutMs`. */
export function nextDiagnosticsChange(uri: vscode.Uri, what: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`${what}: no diagnostics published on ${vscode.workspace.asRelativePath(uri)} within ${timeoutMs} ms`));
    }, timeoutMs);
  });
}

/**
 * Waits until our diagnostics on `uri` equal `expected`, then asserts them: on a deadline the
 * assertion fails with a diff against the last diagnostics seen.
 */
export async function expectDiagnostics(uri: vscode.Uri, expected: readonly SeenDiagnostic[], what: string, timeoutMs = 15_000): Promise<void> {
  // On the deadline the assertion below reports the difference, which says more than the timeout.
  await waitForDiagnostics(uri, (seen) => isDeepStrictEqual(seen, expected), what, timeoutMs).catch(() => undefined);
  assert.deepStrictEqual(seenDiagnostics(uri), expected, what);
}

/** The 0-based range of the only occurrence of `needle` in `text` (searching from `after`, when given). */
export function rangeIn(text: string, needle: string, after?: string): [number, number, number, number] {
  const from = after === undefined ? 0 : text.indexOf(after);
  assert.ok(from >= 0, `${JSON.stringify(after)} is not in the text`);
  const offset = text.indexOf(needle, from);
  assert.ok(offset >= 0, `${JSON.stringify(needle)} is not in the text`);
  if (after === undefined) assert.equal(text.indexOf(needle, offset + 1), -1, `${JSON.stringify(needle)} occurs more than once`);
  const before = text.slice(0, offset).split('\n');
  const line = before.length - 1;
  const character = before[line]?.length ?? 0;
  assert.ok(!needle.includes('\n'), 'ranges here stay on one line');
  return [line, character, line, character + needle.length];
}
