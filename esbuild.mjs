// Bundles the extension (dist/extension.js, `vscode` external), the CLI (dist/cli.js), the GitHub Action (dist/action.js) and the
// lazily loaded registry chunk (dist/pacote.js): pacote costs ~80 ms to require, so neither
// entry point contains it; both load it on first use through `require('./pacote.js')`.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * Points `import('pacote')` and the registry client's `import('./pacote-chunk')` at the separately
 * bundled chunk next to the entry point, so neither pacote nor npm-registry-fetch is in the entry bundle.
 * A static import is rewritten too, with a warning: it would load the chunk at startup.
 */
/** Maps an import specifier to a lazily loaded chunk file next to the entry point. */
function lazyChunk(name, filter, file) {
  return {
    name,
    setup(build) {
      build.onResolve({ filter }, (args) => {
        const warnings = args.kind === 'dynamic-import' ? [] : [{ text: `${args.path} is imported statically, so ${file} loads at startup: use await import()` }];
        return { path: `./${file}`, external: true, warnings };
      });
    },
  };
}

const lazyPacote = lazyChunk('lazy-pacote', /^pacote$|(^|\/)pacote-chunk(\.ts)?$/, 'pacote.js');
/** YAML, Syml and TOML readers for pnpm, Yarn and Bun files: loaded only when such a file is read. */
const lazyParsers = lazyChunk('lazy-parsers', /(^|\/)parsers-chunk(\.ts)?$/, 'parsers.js');
/** The JavaScript parser (acorn) for content inspection: loaded only when a tarball is inspected. */
const lazyJsParser = lazyChunk('lazy-js-parser', /(^|\/)js-parser-chunk(\.ts)?$/, 'js-parser.js');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  // jsonc-parser's default UMD entry breaks under esbuild.
  mainFields: ['module', 'main'],
  // `await import('./pacote.js')` becomes `require`: Node's import() of a CommonJS file first scans its
  // whole source for named exports (cjs-module-lexer), which doubles the cost of loading a 2 MB chunk.
  supported: { 'dynamic-import': false },
  logLevel: 'info',
};

// Every chunk the extension loads must also be listed in .vscodeignore, or the .vsix lacks it.
const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazyPacote, lazyParsers, lazyJsParser] },
  { ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [lazyPacote, lazyParsers, lazyJsParser] },
  // The GitHub Action (action.yml runs it on node24); it shares the CLI's lazy chunks in dist/.
  { ...common, entryPoints: ['src/action/bin.ts'], outfile: 'dist/action.js', plugins: [lazyPacote, lazyParsers, lazyJsParser] },
  { ...common, entryPoints: ['src/core/registry/pacote-chunk.ts'], outfile: 'dist/pacote.js' },
  { ...common, entryPoints: ['src/core/lockfile/parsers-chunk.ts'], outfile: 'dist/parsers.js' },
  { ...common, entryPoints: ['src/core/contents/js-parser-chunk.ts'], outfile: 'dist/js-parser.js' },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
