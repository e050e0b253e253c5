/** Runs the integration suites inside a real VS Code (code-server in headless Chromium), then optional Playwright UI scripts. */
// Usage: node test/integration/run.mjs [--extension DIR|FILE.vsix] [--suite FILE]... [--grep RE]
//          [--ui FILE]... [--screenshots DIR] [--workspace DIR] [--timeout SECONDS] [--keep]
// With no --suite and no --ui it runs every suites/*.test.ts, then every ui/*.mjs; naming either runs only what is named.
// Exit codes: 0 all passed, 1 a test failed, 2 the harness failed (setup missing, timeout, crash).
// Plain Node ESM so it runs on the machine's Node 20; code-server itself runs on the Node 24 from setup.sh.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_WORKSPACE, SUITES_DIR, UI_DIR, copyWorkspace, expandPatterns, listFiles, prepareTestHost, readExtensionFolder } from './lib/prepare.mjs';
import { Report } from './lib/report.mjs';
import { followResults } from './lib/results.mjs';
import { HarnessError, REPO_ROOT, CACHE_DIR, installExtension, makeRunDir, startSession, withTimeout } from './lib/session.mjs';

const UI_SCRIPT_TIMEOUT_MS = 180_000;
/**
 * Top-level entries of an extension folder that are installed: what .vscodeignore lets into the
 * .vsix, by folder. Copying the rest would also copy whatever else lives in the repository (bench
 * caches of a gigabyte, other tools' scratch folders, files being written while we copy).
 */
const SHIPPED = ['package.json', 'dist', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media', 'docs'];

const { values: options } = parseArgs({
  options: {
    extension: { type: 'string', default: REPO_ROOT },
    suite: { type: 'string', multiple: true, default: [] },
    grep: { type: 'string' },
    ui: { type: 'string', multiple: true, default: [] },
    screenshots: { type: 'string', default: path.join(CACHE_DIR, 'screenshots') },
    workspace: { type: 'string', default: DEFAULT_WORKSPACE },
    timeout: { type: 'string', default: '600' },
    keep: { type: 'boolean', default: false },
  },
});

const report = new Report();
const started = Date.now();
const deadline = started + Number(options.timeout) * 1000;
const log = (line) => process.stdout.write(`[harness ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
const runDir = makeRunDir();
let session;

process.exitCode = await main();

async function main() {
  // Backstop: whatever hangs, the run ends shortly after the deadline with both process groups killed.
  const backstop = setTimeout(() => {
    process.stdout.write(`\nharness error: still running ${Number(options.timeout) + 30} s after start; killing code-server and the browser\n`);
    session?.killNow();
    process.stdout.write(`${report.passed} passed, ${report.failed + 1} failed\n`);
    process.exit(2); // the awaited work may never settle: leave without it
  }, deadline - Date.now() + 30_000);
  backstop.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      session?.killNow();
      process.stdout.write(`\ninterrupted by ${signal}; kept run folder ${runDir}\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }

  let harnessError;
  try {
    await runAll();
  } catch (error) {
    harnessError = error;
    session ??= error.session;
  }
  if (harnessError) {
    const message = harnessError instanceof HarnessError ? harnessError.message : harnessError.stack;
    process.stdout.write(`\nharness error: ${message}\n`);
    // Counted as a failure so the closing line never reads as a clean run.
    report.failed++;
  }
  const ok = !harnessError && report.failed === 0;
  if (!ok || options.keep) printLogLocations();
  // Last, so the closing `N passed, N failed` line is the last line printed.
  report.summary();
  await session?.close();
  clearTimeout(backstop);
  if (ok && !options.keep) fs.rmSync(runDir, { recursive: true, force: true });
  if (harnessError) return 2;
  return report.failed ? 1 : 0;
}

async function runAll() {
  log(`run folder ${runDir}`);
  const workspace = copyWorkspace(options.workspace, runDir);
  const extensionsDir = path.join(runDir, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });

  installExtensionUnderTest(path.resolve(options.extension), extensionsDir);

  const runEverything = !options.suite.length && !options.ui.length;
  const suites = runEverything ? listFiles(SUITES_DIR, '.test.ts') : expandPatterns(options.suite);
  const uiScripts = runEverything ? listFiles(UI_DIR, '.mjs') : expandPatterns(options.ui);
  const { bundled, resultsFile, env } = await prepareTestHost({ runDir, workspace, extensionsDir, suites, grep: options.grep, log });

  session = await startSession({ runDir, workspace, extensionsDir, env, log });
  if (suites.length) {
    await followResults({
      resultsFile,
      bundled,
      report,
      log,
      timings: session.timings,
      deadline,
      timeoutSeconds: options.timeout,
      whenExited: session.whenCodeServerExits().then((status) => `code-server exited (${status.signal ?? status.code}) while the suites ran`),
      startedFrom: 'the workbench loading',
    });
  }
  if (uiScripts.length) await runUiScripts(uiScripts);
  const { codeServer, workbench, hostStart, suites: suitesMs, ui } = session.timings;
  log(`timings: code-server ${codeServer} ms, workbench ${workbench} ms, test host start ${hostStart ?? '-'} ms, suites ${suitesMs ?? '-'} ms, UI scripts ${ui ?? '-'} ms`);
}

/** Copies the extension under test, or skips it with a warning while it has not been built. */
function installExtensionUnderTest(source, extensionsDir) {
  if (source.endsWith('.vsix')) {
    installExtension(source, extensionsDir);
    log(`installed ${path.basename(source)}`);
    return;
  }
  const { manifest, unbuiltMain: main } = readExtensionFolder(source);
  if (main) {
    log(`WARNING: ${path.relative(REPO_ROOT, main) || main} does not exist (run \`npm run build\`): ${manifest.publisher}.${manifest.name} is NOT installed, suites run without it`);
    return;
  }
  const installed = installExtension(source, extensionsDir, { include: SHIPPED });
  log(`installed ${path.basename(installed)} from ${source}`);
}

/**
 * Runs each UI script's default export with the live page, as one test each:
 * `export default async ({ page, session, workspace, openFile, screenshot, log }) => {}`.
 */
async function runUiScripts(files) {
  const phaseStarted = Date.now();
  fs.mkdirSync(options.screenshots, { recursive: true });
  for (const file of files) {
    const name = path.basename(file).replace(/\.[cm]?js$/, '');
    const titlePath = ['ui', name];
    const context = {
      page: session.page,
      session,
      workspace: session.workspace,
      /** Reloads the workbench with these files (workspace-relative or absolute) open; restarts the extension host. */
      openFile: (...files) => session.openWorkbench(files),
      /** Saves `<screenshots>/<script>-<label>.png` and returns its path. */
      screenshot: async (label, screenshotOptions = {}) => {
        const target = path.join(options.screenshots, `${name}-${label}.png`);
        await session.page.screenshot({ path: target, ...screenshotOptions });
        return target;
      },
      log: (line) => log(`${name}: ${line}`),
    };
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new HarnessError(`no time left for UI script ${name} within the ${options.timeout} s deadline`);
    const scriptStarted = Date.now();
    try {
      const { default: script } = await import(pathToFileURL(file).href);
      if (typeof script !== 'function') throw new Error(`${file} has no default export function`);
      await withTimeout(script(context), Math.min(UI_SCRIPT_TIMEOUT_MS, remaining), `UI script ${name} timed out`);
      report.pass(titlePath, Date.now() - scriptStarted);
    } catch (error) {
      report.fail(titlePath, { message: error.message, stack: error.stack });
      await context.screenshot('failure').then((shot) => log(`failure screenshot ${shot}`)).catch(() => undefined); // the page may be gone
    }
  }
  session.timings.ui = Date.now() - phaseStarted;
  log(`screenshots in ${options.screenshots}`);
}

function printLogLocations() {
  process.stdout.write(`\nkept run folder ${runDir}\n`);
  if (!session) return;
  process.stdout.write(`  extension host log: ${session.findExtensionHostLog() ?? '(none: the extension host never started)'}\n`);
  process.stdout.write(`  code-server log:    ${session.codeServerLog}\n`);
  process.stdout.write(`  browser console:    ${session.consoleLog}\n`);
}
