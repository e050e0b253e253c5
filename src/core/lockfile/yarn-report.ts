/** Collects the errors of one yarn.lock, with exact locations, capped so a hostile file cannot flood the problems view. */

import type { LockfileFormat } from '../types';
import { createReporter, type Reporter } from './reporter';

/**
 * The command that rewrites the lockfile without running package code: Berry can write only the
 * lockfile; classic has no such mode, so it installs with scripts off.
 */
export function regenerateCommand(format: LockfileFormat | undefined): string {
  if (format === 'yarn-berry') return 'yarn install --mode=update-lockfile';
  if (format === 'yarn-classic') return 'yarn install --ignore-scripts';
  return 'yarn install';
}

/** The Reporter every part of the Yarn parser uses, with Yarn's command in the overflow message. */
export function createYarnReporter(file: string, text: string, format: LockfileFormat | undefined): Reporter {
  return createReporter(file, text, `regenerate it with \`${regenerateCommand(format)}\``);
}
