/** Collects the errors of one bun.lock, with exact locations, capped so a hostile file cannot flood the problems view. */

import { createReporter, type Reporter } from './reporter';

/** What every "rewrite it" message tells the user to run: it rewrites bun.lock without installing anything. */
export const REWRITE = 'run `bun install --lockfile-only` to rewrite it';

/** The Reporter every part of the Bun parser uses, with Bun's command in the overflow message. */
export function createBunReporter(file: string, text: string): Reporter {
  return createReporter(file, text, `to fix them, ${REWRITE}`);
}
