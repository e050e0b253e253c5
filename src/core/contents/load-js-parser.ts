/** Loads the JavaScript parser chunk (acorn) on first use: only content inspection pays for it. */

export type JsParser = typeof import('./js-parser-chunk');

let loading: Promise<JsParser> | undefined;

/** The esbuild plugin points this import at dist/js-parser.js; from sources (tests) it loads acorn directly. */
export function loadJsParser(): Promise<JsParser> {
  loading ??= import('./js-parser-chunk');
  return loading;
}
