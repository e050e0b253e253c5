/** Collects the errors of one pnpm file, with exact locations and a cap on how many are listed. */

import { createLineIndex, locate } from '../text';
import type { FileError, Location } from '../types';
import type { Span } from './pnpm-yaml';

/** Caps the errors one file can produce, so a hostile file cannot flood the problems view. */
const MAX_ERRORS = 50;

export const REGENERATE = 'regenerate it with `pnpm install --lockfile-only`';

export interface Reporter {
  /** The file's base name, for messages. */
  readonly name: string;
  error(message: string, span?: Span): void;
  locate(span: Span): Location;
  errors(): FileError[];
}

/** `remedy` ends the message that counts the problems left unlisted (a lowercase clause). */
export function createReporter(file: string, text: string, remedy = REGENERATE): Reporter {
  const index = createLineIndex(file, text);
  const collected: FileError[] = [];
  let dropped = 0;
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1) || file;
  const at = (span: Span): Location => locate(index, span.offset, span.length);
  return {
    name,
    locate: at,
    error(message, span) {
      if (collected.length >= MAX_ERRORS) dropped++;
      else collected.push(span ? { file, message, location: at(span) } : { file, message });
    },
    errors() {
      if (dropped === 0) return [...collected];
      const more = `${name} has ${dropped} more problems like the ones above; they were not listed. ${remedy.charAt(0).toUpperCase()}${remedy.slice(1)}.`;
      return [...collected, { file, message: more }];
    },
  };
}

/** `1 package`, `3 packages`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Characters that could hide or reorder text in a message, escaped; long messages shortened. */
export function plain(message: string): string {
  const escaped = message.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escaped.length <= 160) return escaped;
  // Cut before a lone high surrogate, so the message stays well-formed text.
  return `${escaped.slice(0, /[\ud800-\udbff]/.test(escaped.charAt(159)) ? 159 : 160)}…`;
}
