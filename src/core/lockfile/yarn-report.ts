/** Collects the errors of one yarn.lock, with exact locations, capped so a hostile file cannot flood the problems view. */

import { createLineIndex, locate } from '../text';
import type { FileError, LockfileFormat, Location } from '../types';
import type { Reporter } from './npm-entry';

const MAX_ERRORS = 50;

/**
 * The command that rewrites the lockfile without running package code: Berry can write only the
 * lockfile; classic has no such mode, so it installs with scripts off.
 */
export function regenerateCommand(format: LockfileFormat | undefined): string {
  if (format === 'yarn-berry') return 'yarn install --mode=update-lockfile';
  if (format === 'yarn-classic') return 'yarn install --ignore-scripts';
  return 'yarn install';
}

/** The same Reporter shape the npm parser uses, with Yarn's command in the overflow message. */
export function createYarnReporter(file: string, text: string, format: LockfileFormat | undefined): Reporter {
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
      const more = `${name} has ${dropped} more problems like the ones above; they were not listed. Regenerate it with \`${regenerateCommand(format)}\`.`;
      return [...collected, { file, message: more }];
    },
  };
}
