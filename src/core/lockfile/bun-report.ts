/** Collects the errors of one bun.lock, with exact locations, capped so a hostile file cannot flood the problems view. */

import { createLineIndex, locate } from '../text';
import type { FileError, Location } from '../types';
import type { Reporter } from './npm-entry';

/** What every "rewrite it" message tells the user to run: it rewrites bun.lock without installing anything. */
export const REWRITE = 'run `bun install --lockfile-only` to rewrite it';

const MAX_ERRORS = 50;

/** The same Reporter shape the npm parser uses, with Bun's command in the overflow message. */
export function createBunReporter(file: string, text: string): Reporter {
  const index = createLineIndex(file, text);
  const collected: FileError[] = [];
  let dropped = 0;
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1) || file;
  const at = (span: { readonly offset: number; readonly length: number }): Location => locate(index, span.offset, span.length);
  return {
    name,
    locate: at,
    error(message, span) {
      if (collected.length >= MAX_ERRORS) dropped++;
      else collected.push(span ? { file, message, location: at(span) } : { file, message });
    },
    errors() {
      if (dropped === 0) return [...collected];
      return [...collected, { file, message: `${name} has ${dropped} more problems like the ones above; they were not listed. To fix them, ${REWRITE}.` }];
    },
  };
}
