/** Splits a lockfile that holds git merge-conflict markers into its two sides, keeping every offset. */

import type { FileError, LockedPackage, Lockfile } from '../types';

/** The two sides of a conflicted text, each the same length as the original. */
export interface ConflictSides {
  readonly ours: string;
  readonly theirs: string;
  /** Offset and length of the first marker line, for the error's location. */
  readonly firstMarker: { readonly offset: number; readonly length: number };
}

type Region = 'both' | 'ours' | 'base' | 'theirs';

/**
 * Returns undefined when the text has no conflict markers. Otherwise each side keeps the common
 * lines and its own half of every conflict; the other half, the diff3 base and the marker lines are
 * blanked with spaces (line breaks kept), so offsets, lines and columns still match the file.
 * This is how npm itself reads a conflicted lockfile: it parses both sides (parse-conflict-json).
 */
export function splitConflict(text: string): ConflictSides | undefined {
  if (!/^(?:<{7}|={7}|>{7})/m.test(text)) return undefined;
  let ours = '';
  let theirs = '';
  let region: Region = 'both';
  let firstMarker: ConflictSides['firstMarker'] | undefined;
  for (const { line, offset } of linesOf(text)) {
    const next = regionAfter(line, region);
    if (next !== undefined) {
      firstMarker ??= { offset, length: line.replace(/\r?\n$|\r$/, '').length };
      region = next;
      ours += blank(line);
      theirs += blank(line);
      continue;
    }
    ours += region === 'both' || region === 'ours' ? line : blank(line);
    theirs += region === 'both' || region === 'theirs' ? line : blank(line);
  }
  return firstMarker ? { ours, theirs, firstMarker } : undefined;
}

/** The region a marker line opens, or undefined when the line is not a marker here. */
function regionAfter(line: string, region: Region): Region | undefined {
  if (/^<{7}(?:[ \r\n]|$)/.test(line)) return 'ours';
  if (region === 'ours' && /^\|{7}(?:[ \r\n]|$)/.test(line)) return 'base';
  if ((region === 'ours' || region === 'base') && /^={7}(?:[\r\n]|$)/.test(line)) return 'theirs';
  if (region !== 'both' && /^>{7}(?:[ \r\n]|$)/.test(line)) return 'both';
  return undefined;
}

/** Lines with their line breaks (`\n`, `\r\n` or `\r`) and start offsets. */
function linesOf(text: string): { line: string; offset: number }[] {
  const result: { line: string; offset: number }[] = [];
  const pattern = /[^\r\n]*(?:\r\n|\r|\n|$)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null && match[0] !== '') {
    result.push({ line: match[0], offset: match.index });
  }
  return result;
}

/** Spaces in place of every UTF-16 code unit except line breaks, so the length is unchanged. */
function blank(line: string): string {
  return line.replace(/[^\r\n]/g, ' ');
}

/**
 * Merges the two sides of a conflicted lockfile, read separately, as the package managers do: the
 * packages and errors both sides share are listed once (`sameEntry` says which entries are the same);
 * `markerErrors` (the error at the first marker, worded by each format) comes first.
 */
export function mergeSides(ours: Lockfile, theirs: Lockfile, markerErrors: readonly FileError[], sameEntry: (p: LockedPackage) => string = entryIdentity): Lockfile {
  const seen = new Set(ours.packages.map(sameEntry));
  const seenErrors = new Set(ours.errors.map(errorIdentity));
  return {
    ...ours,
    packages: [...ours.packages, ...theirs.packages.filter((p) => !seen.has(sameEntry(p)))],
    workspaces: [...new Set([...ours.workspaces, ...theirs.workspaces])],
    errors: [...markerErrors, ...ours.errors, ...theirs.errors.filter((e) => !seenErrors.has(errorIdentity(e)))],
  };
}

/** Two entries are the same when key, version, source URL and integrity agree. */
export function entryIdentity(p: LockedPackage): string {
  return JSON.stringify([p.key, p.version, p.resolved ?? null, p.integrity ?? null]);
}

function errorIdentity(e: FileError): string {
  return `${e.location?.offset ?? -1}:${e.message}`;
}
