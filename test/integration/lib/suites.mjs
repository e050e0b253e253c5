/** Bundles TypeScript suites into CommonJS files the test-host extension can require (`vscode` left to the extension host), and maps their stacks back. */
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from './session.mjs';

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

/**
 * Rewrites stack frames in the bundles to the TypeScript lines they came from. The extension host
 * replaces Error.prepareStackTrace, which turns Node's own source-map support off, so the runner
 * maps frames itself from the bundles' inline source maps.
 */
export function mapStackToSources(stack, bundledFiles) {
  if (!stack) return stack;
  const maps = new Map();
  const mapFor = (bundle) => {
    if (!maps.has(bundle)) maps.set(bundle, readInlineSourceMap(bundle));
    return maps.get(bundle);
  };
  const byName = new Map(bundledFiles.map((file) => [path.basename(file), file]));
  return stack.replace(/[^\s()]*\/suites\/([^\s/():]+\.js):(\d+):(\d+)/g, (frame, name, line, column) => {
    const bundle = byName.get(name);
    const map = bundle && mapFor(bundle);
    const entry = map?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry?.originalSource) return frame;
    const source = path.resolve(path.dirname(bundle), entry.originalSource.replace(/^file:\/\//, ''));
    return `${path.relative(REPO_ROOT, source)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function readInlineSourceMap(file) {
  try {
    const match = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(fs.readFileSync(file, 'utf8'));
    return match ? new SourceMap(JSON.parse(Buffer.from(match[1], 'base64').toString('utf8'))) : undefined;
  } catch (error) {
    // An unreadable map only costs the mapping: the frame stays as the bundle's line.
    process.stderr.write(`cannot read the source map of ${file}: ${error.message}\n`);
    return undefined;
  }
}
