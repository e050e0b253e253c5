/**
 * Builds the shipped (production) bundles into a folder of the bench's own, with the repository's
 * esbuild.mjs unchanged: it runs in a shadow folder whose src/, node_modules/ and configs link back
 * to the repository, so dist/ (what `npm run build` and the integration tests use) is left alone.
 */

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Runs `node esbuild.mjs --production` in `<work>/build` and returns its dist folder with each file's size in bytes. */
export function buildProduction(repo, work) {
  const shadow = join(work, 'build');
  rmSync(shadow, { recursive: true, force: true });
  mkdirSync(shadow, { recursive: true });
  for (const entry of ['src', 'node_modules', 'package.json', 'tsconfig.json']) symlinkSync(join(repo, entry), join(shadow, entry));
  copyFileSync(join(repo, 'esbuild.mjs'), join(shadow, 'esbuild.mjs'));
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: shadow, stdio: ['ignore', 'ignore', 'pipe'] });
  const dist = join(shadow, 'dist');
  const sizes = Object.fromEntries(readdirSync(dist).filter((f) => f.endsWith('.js')).map((f) => [f, statSync(join(dist, f)).size]));
  return { dist, sizes };
}
