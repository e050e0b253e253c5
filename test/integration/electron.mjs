/** Runs the integration suites in desktop VS Code through @vscode/test-electron: same suites, test host and results protocol as run.mjs (code-server). */
// Usage: node test/integration/electron.mjs [--suite FILE]... [--grep RE] [--workspace DIR] [--extension DIR]
//          [--vscode-version VERSION] [--timeout SECONDS] [--keep]
// Downloads VS Code into .vscode-test/ (DR_VSCODE_TEST_DIR) on first use, which needs internet: where
// VS Code cannot be downloaded it exits 2 at once, and `npm run test:integration` is the runner to use.
// Exit codes as run.mjs: 0 all passed, 1 a test failed, 2 the harness failed (download, display, timeout, crash).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import testElectron from '@vscode/test-electron';
import { DEFAULT_WORKSPACE, INTEGRATION_DIR, SUITES_DIR, copyWorkspace, expandPatterns, listFiles, prepareTestHost, readExtensionFolder } from './lib/prepare.mjs';
import { Report } from './lib/report.mjs';
import { HOST_START_TIMEOUT_MS, followResults } from './lib/results.mjs';
import { CACHE_DIR, HarnessError, REPO_ROOT, inheritedEnvironment, killGroup, makeRunDir, prepareProfile, withTimeout, writeJson } from './lib/session.mjs';

const DOWNLOAD_HOST = 'update.code.visualstudio.com';
/** test-electron's idle timeout per request: no data for this long fails the request. */
const DOWNLOAD_IDLE_TIMEOUT_MS = 10_000;
/** From asking for VS Code to its archive starting to arrive (or a cached copy being found); test-electron retries on its own, this bounds all of it. */
const DOWNLOAD_START_TIMEOUT_MS = 60_000;
/** After the host's `end` event, VS Code exits as soon as electron-tests.cjs resolves. */
const EXIT_TIMEOUT_MS = 30_000;
const LAUNCHER = path.join(INTEGRATION_DIR, 'lib/launch-electron.mjs');
const TESTS_MODULE = path.join(INTEGRATION_DIR, 'electron-tests.cjs');
const NO_INTERNET_HINT = 'use npm run test:integration (code-server) on machines without internet';

const { values: options } = parseArgs({
  options: {
    extension: { type: 'string', default: REPO_ROOT },
    suite: { type: 'string', multiple: true, default: [] },
    grep: { type: 'string' },
    workspace: { type: 'string', default: DEFAULT_WORKSPACE },
    'vscode-version': { type: 'string' },
    timeout: { type: 'string', default: '600' },
    keep: { type: 'boolean', default: false },
  },
});

const report = new Report();
const started = Date.now();
const log = (line) => process.stdout.write(`[harness ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
const timings = {};
let runDir;
/** The launcher process (a process-group leader) and its exit, once VS Code is being started. */
let launcher;
let launcherExit;

process.exit(await main());

async function main() {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      killLauncherNow();
      process.stdout.write(`\ninterrupted by ${signal}${runDir ? `; kept run folder ${runDir}` : ''}\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  process.on('exit', killLauncherNow);

  let harnessError;
  try {
    await runAll();
  } catch (error) {
    harnessError = error;
  }
  if (harnessError) {
    const message = harnessError instanceof HarnessError ? harnessError.message : harnessError.stack;
    process.stdout.write(`\nharness error: ${message}\n`);
    // Counted as a failure so the closing line never reads as a clean run.
    report.failed++;
  }
  const ok = !harnessError && report.failed === 0;
  if (runDir && (!ok || options.keep)) printLogLocations();
  // Last, so the closing `N passed, N failed` line is the last line printed.
  report.summary();
  await closeLauncher();
  if (runDir && ok && !options.keep) fs.rmSync(runDir, { recursive: true, force: true });
  if (harnessError) return 2;
  return report.failed ? 1 : 0;
}

async function runAll() {
  const suites = options.suite.length ? expandPatterns(options.suite) : listFiles(SUITES_DIR, '.test.ts');
  if (!suites.length) throw new HarnessError('no suites to run');
  const extension = path.resolve(options.extension);
  const { manifest, unbuiltMain } = readExtensionFolder(extension);

  // First, so a machine without internet learns it within seconds, before anything is prepared.
  const executable = await downloadVSCode(extension, manifest);
  const displayWrapper = findDisplayWrapper();

  runDir = makeRunDir();
  log(`run folder ${runDir}`);
  const workspace = copyWorkspace(options.workspace, runDir);
  const developmentPaths = [];
  if (unbuiltMain) {
    log(`WARNING: ${path.relative(REPO_ROOT, unbuiltMain) || unbuiltMain} does not exist (run \`npm run build\`): ${manifest.publisher}.${manifest.name} is NOT loaded, suites run without it`);
  } else {
    developmentPaths.push(extension);
  }
  // The host copy with the bundled suites is a development extension too; its folder is its own.
  const { hostDir, bundled, resultsFile, env } = await prepareTestHost({ runDir, workspace, extensionsDir: path.join(runDir, 'development'), suites, grep: options.grep, log });
  developmentPaths.push(hostDir);
  const { userDataDir, env: profileEnv } = prepareProfile(runDir);
  const extensionsDir = path.join(runDir, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });

  const deadline = Date.now() + Number(options.timeout) * 1000;
  const launchOptions = {
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: developmentPaths,
    extensionTestsPath: TESTS_MODULE,
    // The first argument is the folder VS Code opens. runTests adds --no-sandbox, --disable-updates,
    // --skip-welcome, --skip-release-notes and --disable-workspace-trust itself; repeated here where it matters.
    launchArgs: [
      workspace,
      `--user-data-dir=${userDataDir}`,
      `--extensions-dir=${extensionsDir}`,
      // Installed extensions are off; built-in ones and the development paths stay on.
      '--disable-extensions',
      '--disable-workspace-trust',
      '--disable-telemetry',
    ],
    extensionTestsEnv: {
      ...env,
      ...profileEnv,
      DR_TEST_DEADLINE: String(deadline),
      DR_HOST_START_TIMEOUT_MS: String(HOST_START_TIMEOUT_MS),
    },
  };
  const launchFile = path.join(runDir, 'launch.json');
  writeJson(launchFile, launchOptions);

  const vscodeLog = path.join(runDir, 'vscode.log');
  const out = fs.openSync(vscodeLog, 'a');
  const command = [...displayWrapper, process.execPath, LAUNCHER, launchFile];
  // Like code-server's environment in run.mjs: no npm_* variables or NODE_OPTIONS; and VS Code
  // started from a VS Code terminal or task must not run as plain Node.
  const childEnv = inheritedEnvironment();
  delete childEnv.ELECTRON_RUN_AS_NODE;
  const vscodeStarted = Date.now();
  // detached: a process group of its own, so VS Code and all it starts (and Xvfb) end together.
  launcher = spawn(command[0], command.slice(1), { cwd: runDir, env: childEnv, detached: true, stdio: ['ignore', out, out] });
  launcherExit = new Promise((resolve) => {
    launcher.once('exit', (code, signal) => resolve({ code, signal }));
    launcher.once('error', (error) => resolve({ error }));
  });
  log(`starting VS Code${displayWrapper.length ? ' under xvfb-run' : ''} (pid group ${launcher.pid}); its output goes to ${vscodeLog}`);

  await followResults({
    resultsFile,
    bundled,
    report,
    log,
    timings,
    deadline,
    timeoutSeconds: options.timeout,
    whenExited: launcherExit.then((status) => `VS Code exited (${describeExit(status)}) before the suites finished; see ${vscodeLog}`),
    startedFrom: 'VS Code starting',
  });
  const status = await withTimeout(launcherExit, EXIT_TIMEOUT_MS, `VS Code did not exit within ${EXIT_TIMEOUT_MS / 1000} s of the suites finishing; see ${vscodeLog}`);
  // electron-tests.cjs rejects exactly when a test failed, so VS Code's exit code agrees with the report.
  const expected = report.failed ? 1 : 0;
  if (status.code !== expected) {
    throw new HarnessError(`VS Code exited (${describeExit(status)}) after ${report.passed} passed and ${report.failed} failed; see ${vscodeLog}`);
  }
  log(`timings: VS Code ${executable}, test host start ${timings.hostStart ?? '-'} ms, suites ${timings.suites ?? '-'} ms, in all ${Date.now() - vscodeStarted} ms`);
}

/**
 * The VS Code executable from the cache in .vscode-test/, downloaded there first when missing:
 * `--vscode-version`, or else the newest stable release that satisfies the extension's
 * `engines.vscode` (test-electron falls back to the newest cached copy when offline).
 * Fails within DOWNLOAD_START_TIMEOUT_MS when the download cannot begin.
 */
async function downloadVSCode(extension, manifest) {
  const version = options['vscode-version'];
  log(`VS Code: ${version ?? `the newest stable release satisfying engines.vscode ${manifest.engines?.vscode ?? '(none)'}`}, cached in ${CACHE_DIR}`);
  let cause;
  let budgetTimer;
  let shownPercent = -1;
  const budget = new Promise((_, reject) => {
    budgetTimer = setTimeout(() => reject(new Error(`no download started within ${DOWNLOAD_START_TIMEOUT_MS / 1000} s`)), DOWNLOAD_START_TIMEOUT_MS);
  });
  const reporter = {
    report(progress) {
      switch (progress.stage) {
        case 'resolvedVersion':
          log(`VS Code ${progress.version}`);
          break;
        case 'foundMatchingInstall':
          clearTimeout(budgetTimer);
          log(`using ${progress.downloadedPath}`);
          break;
        case 'downloading': {
          clearTimeout(budgetTimer);
          const percent = progress.totalBytes ? Math.floor((progress.bytesSoFar / progress.totalBytes) * 4) * 25 : 0;
          if (percent > shownPercent) {
            shownPercent = percent;
            log(`downloading ${progress.url}: ${percent}% of ${(progress.totalBytes / 1e6).toFixed(0)} MB`);
          }
          break;
        }
        case 'retrying':
          cause = progress.error;
          log(`download failed (${describeError(progress.error)}); attempt ${progress.attempt} of ${progress.totalAttempts}`);
          break;
        case 'newInstallComplete':
          log(`installed ${progress.downloadedPath}`);
          break;
        default:
          break;
      }
    },
    error(error) {
      cause = error;
    },
  };
  try {
    return await Promise.race([
      testElectron.downloadAndUnzipVSCode({
        ...(version ? { version } : { extensionDevelopmentPath: extension }),
        cachePath: CACHE_DIR,
        timeout: DOWNLOAD_IDLE_TIMEOUT_MS,
        reporter,
      }),
      budget,
    ]);
  } catch (error) {
    if (/^Invalid version /.test(describeError(error))) {
      throw new HarnessError(`VS Code ${version} is not a released version (${DOWNLOAD_HOST} does not list it)`);
    }
    // test-electron's own error after retries only says "Failed to download"; the cause is more use.
    throw new HarnessError(`could not download VS Code from ${DOWNLOAD_HOST}: ${describeError(cause ?? error)} — ${NO_INTERNET_HINT}`);
  } finally {
    clearTimeout(budgetTimer);
  }
}

/** `xvfb-run` and its arguments when Linux has no display, nothing when there is one; fails when neither. */
function findDisplayWrapper() {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return [];
  const xvfbRun = findOnPath('xvfb-run');
  if (!xvfbRun) {
    throw new HarnessError('there is no display (DISPLAY is not set) and xvfb-run is not installed: install it (Debian/Ubuntu: apt-get install xvfb) or run from a desktop session');
  }
  log(`no display: starting VS Code under ${xvfbRun}`);
  return [xvfbRun, '--auto-servernum', '--server-args=-screen 0 1280x1024x24'];
}

function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function describeError(error) {
  if (error?.constructor?.name === 'TimeoutError') return `no answer within ${DOWNLOAD_IDLE_TIMEOUT_MS / 1000} s`; // test-electron's idle timeout
  return error instanceof Error ? error.message : String(error);
}

function describeExit(status) {
  if (status.error) return `could not start: ${status.error.message}`;
  return status.signal ?? `code ${status.code}`;
}

/** Ends the launcher's process group (VS Code, its helpers, Xvfb): politely first, then with SIGKILL. */
async function closeLauncher() {
  if (!launcher?.pid) return;
  if (launcher.exitCode === null && launcher.signalCode === null) {
    killGroup(launcher.pid, 'SIGTERM');
    await withTimeout(launcherExit, 5000).catch(() => undefined); // killed below anyway
  }
  killLauncherNow();
}

/** Synchronous last resort (also run on process exit): whatever is left of the group gets SIGKILL. */
function killLauncherNow() {
  if (launcher?.pid) killGroup(launcher.pid, 'SIGKILL');
}

function printLogLocations() {
  process.stdout.write(`\nkept run folder ${runDir}\n`);
  if (!launcher) return;
  process.stdout.write(`  extension host log: ${findExtensionHostLog() ?? '(none: the extension host never started)'}\n`);
  process.stdout.write(`  VS Code output:     ${path.join(runDir, 'vscode.log')}\n`);
}

/** Desktop VS Code writes `<user-data>/logs/<stamp>/window1/exthost/exthost.log`. */
function findExtensionHostLog() {
  const logs = path.join(runDir, 'user-data/logs');
  if (!fs.existsSync(logs)) return undefined;
  for (const stamp of fs.readdirSync(logs).sort().reverse()) {
    const stampDir = path.join(logs, stamp);
    for (const window of fs.readdirSync(stampDir).filter((name) => name.startsWith('window')).sort()) {
      const file = path.join(stampDir, window, 'exthost/exthost.log');
      if (fs.existsSync(file)) return file;
    }
  }
  return undefined;
}
