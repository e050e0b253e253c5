/** Chooses the CLI's on-disk cache folder: `DEPENDENCY_RISK_CACHE_DIR`, else the platform's user cache folder. */

import * as path from 'node:path';

const APP = 'dependency-risk';

/**
 * `DEPENDENCY_RISK_CACHE_DIR` when set; otherwise `%LOCALAPPDATA%\dependency-risk\Cache` on Windows,
 * `~/Library/Caches/dependency-risk` on macOS, and `$XDG_CACHE_HOME/dependency-risk` or
 * `~/.cache/dependency-risk` elsewhere. Relative values are resolved against `cwd`; a relative
 * `XDG_CACHE_HOME` is ignored, as the XDG Base Directory specification asks.
 */
export function resolveCacheDir(
  env: Readonly<Record<string, string | undefined>>,
  platform: string,
  homedir: string,
  cwd: string,
): string {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const override = env.DEPENDENCY_RISK_CACHE_DIR;
  if (override !== undefined && override !== '') return paths.resolve(cwd, override);
  if (platform === 'win32') {
    const base = nonEmpty(env.LOCALAPPDATA) ?? paths.join(homedir, 'AppData', 'Local');
    return paths.join(base, APP, 'Cache');
  }
  if (platform === 'darwin') return paths.join(homedir, 'Library', 'Caches', APP);
  const xdg = nonEmpty(env.XDG_CACHE_HOME);
  return paths.join(xdg !== undefined && paths.isAbsolute(xdg) ? xdg : paths.join(homedir, '.cache'), APP);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
