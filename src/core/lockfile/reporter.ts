/** Collects one lockfile's errors with exact locations, capped so a hostile file cannot flood the problems view. */

import { createLineIndex, locate } from '../text';
import type { FileError, Location } from '../types';

/** The most errors one file lists; the rest are counted in one last message. */
const MAX_ERRORS = 50;

export interface Span {
  readonly offset: number;
  readonly length: number;
}

/** Collects a file's errors with exact locations. */
export interface Reporter {
  /** The file's base name, for messages. */
  readonly name: string;
  error(message: string, span?: Span): void;
  locate(span: Span): Location;
  errors(): FileError[];
}

/**
 * `remedy` ends the message that counts the problems left unlisted: a lowercase clause naming the
 * package manager's own command, e.g. "regenerate it with `npm install --package-lock-only`".
 */
export function createReporter(file: string, text: string, remedy: string): Reporter {
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
