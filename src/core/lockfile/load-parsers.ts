/** Loads the parser chunk (yaml, @yarnpkg/parsers, smol-toml) on first use: only projects with such files pay for it. */

export type Parsers = typeof import('./parsers-chunk');

let loading: Promise<Parsers> | undefined;

/** The esbuild plugin points this import at dist/parsers.js; from sources (tests) it loads the modules directly. */
export function loadParsers(): Promise<Parsers> {
  loading ??= import('./parsers-chunk');
  return loading;
}
