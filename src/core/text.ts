/** Turns offsets in a file's text into Locations (1-based line and column, UTF-16 offsets as VS Code counts them). */

import type { Location } from './types';

/** Precomputed line starts of one text, so many offsets can be located cheaply. */
export interface LineIndex {
  readonly file: string;
  readonly lineStarts: readonly number[];
  /** The text's length: no Location reaches past it. */
  readonly length: number;
}

export function createLineIndex(file: string, text: string): LineIndex {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) lineStarts.push(i + 1);
    else if (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) lineStarts.push(i + 1);
  }
  return { file, lineStarts, length: text.length };
}

/**
 * The Location of `length` code units at `offset`, kept within the text: jsonc-parser reports an
 * unterminated `/*` comment at the end of a file one character longer than the file (issue 7).
 */
export function locate(index: LineIndex, at: number, size: number): Location {
  const offset = Math.min(Math.max(0, at), index.length);
  const length = Math.min(Math.max(0, size), index.length - offset);
  const starts = index.lineStarts;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return { file: index.file, offset, length, line: low + 1, column: offset - starts[low] + 1 };
}

/** Replaces a leading byte-order mark with a space, so offsets stay those of the original text. */
export function maskBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
}
