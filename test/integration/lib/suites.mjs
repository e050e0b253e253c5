/** Bundles TypeScript suites into CommonJS files the test-host extension can require, with `vscode` left to the extension host. */
import path from 'node:path';
import * as esbuild from 'esbuild';

/**
 * Bundles each suite to `<outDir>/<name>.js`. `outDir` must be inside the test-host extension's
 * installed folder: the extension host hands `require('vscode')` the API of the extension whose
 * folder contains the requiring file. mocha's `describe`/`it` are globals set by the host.
 * @returns {Promise<string[]>} the bundled files, in the order of `files`
 */
export async function bundleSuites(files, outDir) {
  await esbuild.build({
    entryPoints: files,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    // Stack traces map back to the .ts lines (the host enables source maps before loading suites).
    sourcemap: 'inline',
    // jsonc-parser's default UMD entry breaks under esbuild (same as esbuild.mjs).
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
  return files.map((file) => path.join(outDir, path.basename(file).replace(/\.[cm]?[jt]s$/, '.js')));
}
