/** What both runners (run.mjs on code-server, electron.mjs on desktop VS Code) prepare before an editor starts: the suites to run, a copy of the fixture workspace, the test host with the bundled suites, and its environment. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bundleSuites } from './suites.mjs';
import { HarnessError, REPO_ROOT, installExtension } from './session.mjs';

export const INTEGRATION_DIR = path.join(REPO_ROOT, 'test/integration');
export const SUITES_DIR = path.join(INTEGRATION_DIR, 'suites');
export const UI_DIR = path.join(INTEGRATION_DIR, 'ui');
export const HOST_EXTENSION = path.join(INTEGRATION_DIR, 'host');
export const DEFAULT_WORKSPACE = path.join(REPO_ROOT, 'test/fixtures/workspaces/basic');

/** Copies the fixture workspace to `<runDir>/workspace` (tests may edit, create and delete files in it) and returns the copy. */
export function copyWorkspace(source, runDir) {
  const workspace = path.join(runDir, 'workspace');
  fs.cpSync(path.resolve(source), workspace, { recursive: true });
  return workspace;
}

/**
 * Installs the test-host extension into `extensionsDir` and, when there are suites, bundles them
 * into the installed copy's `suites/` folder. Returns that copy, the bundles, the results file the
 * host appends its events to, and the environment the extension host needs (DR_* variables).
 * @param {{ runDir: string, workspace: string, extensionsDir: string, suites: string[], grep?: string, log: (line: string) => void }} options
 */
export async function prepareTestHost({ runDir, workspace, extensionsDir, suites, grep, log }) {
  const hostDir = installExtension(HOST_EXTENSION, extensionsDir);
  const resultsFile = path.join(runDir, 'results.ndjson');
  const env = {
    DR_WORKSPACE: workspace,
    DR_REPO_ROOT: REPO_ROOT,
    DR_FIXTURES_DIR: path.join(REPO_ROOT, 'test/fixtures'),
  };
  let bundled = [];
  if (suites.length) {
    bundled = await bundleSuites(suites, path.join(hostDir, 'suites'));
    log(`bundled ${suites.length} suite(s): ${suites.map((file) => path.relative(REPO_ROOT, file)).join(', ')}`);
    Object.assign(env, {
      DR_TEST_RESULTS: resultsFile,
      DR_TEST_SUITES: bundled.join(path.delimiter),
      DR_MOCHA_PATH: findMocha(),
      ...(grep ? { DR_TEST_GREP: grep } : {}),
    });
  }
  return { hostDir, bundled, resultsFile, env };
}

/** Mocha's CommonJS entry (mocha 12 is an ES module package; its index.js only re-exports this file). */
export function findMocha() {
  const cjs = path.join(REPO_ROOT, 'node_modules/mocha/lib/mocha.cjs');
  return fs.existsSync(cjs) ? cjs : createRequire(path.join(REPO_ROOT, 'package.json')).resolve('mocha');
}

export function listFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((name) => name.endsWith(suffix)).sort().map((name) => path.join(dir, name));
}

/** Expands a `*` in the file-name part (for quoted patterns; Node 20 has no fs.glob). */
export function expandPatterns(patterns) {
  return patterns.flatMap((pattern) => {
    const absolute = path.resolve(pattern);
    if (!path.basename(absolute).includes('*')) {
      if (!fs.existsSync(absolute)) throw new HarnessError(`no such file: ${pattern}`);
      return [absolute];
    }
    const dir = path.dirname(absolute);
    const re = new RegExp(`^${path.basename(absolute).split('*').map(escapeRegExp).join('.*')}$`);
    const matches = fs.readdirSync(dir).filter((name) => re.test(name)).sort().map((name) => path.join(dir, name));
    if (!matches.length) throw new HarnessError(`no file matches ${pattern}`);
    return matches;
  });
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An extension folder's manifest, and the path of its `main` when that file does not exist yet (`npm run build` not run). */
export function readExtensionFolder(source) {
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  const main = manifest.main && path.join(source, manifest.main);
  const unbuiltMain = main && !fs.existsSync(main) && !fs.existsSync(`${main}.js`) ? main : undefined;
  return { manifest, unbuiltMain };
}
