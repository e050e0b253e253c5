// Bundles the extension (dist/extension.js, `vscode` external), the CLI (dist/cli.js) and the
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
const lazyPacote = {
  name: 'lazy-pacote',
  setup(build) {
    build.onResolve({ filter: /^pacote$|(^|\/)pacote-chunk(\.ts)?$/ }, (args) => {
      const warnings = args.kind === 'dynamic-import' ? [] : [{ text: `${args.path} is imported statically, so dist/pacote.js loads at startup: use await import()` }];
      return { path: './pacote.js', external: true, warnings };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  // jsonc-parser's default UMD entry breaks under esbuild.
  mainFields: ['module', 'main'],
  logLevel: 'info',
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazyPacote] },
  { ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [lazyPacote] },
  { ...common, entryPoints: ['src/core/registry/pacote-chunk.ts'], outfile: 'dist/pacote.js' },
];

const existing = [];
for (const options of builds) {
  const fs = await import('node:fs');
  if (fs.existsSync(options.entryPoints[0])) existing.push(options);
}

if (watch) {
  for (const options of existing) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(existing.map((options) => esbuild.build(options)));
}
