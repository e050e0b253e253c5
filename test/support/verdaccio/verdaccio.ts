/** Starts a real Verdaccio on 127.0.0.1 for tests (temporary storage, htpasswd auth, no uplinks) and drives the real npm client against it. */

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The version test/support/verdaccio/setup.sh installs. */
export const VERDACCIO_VERSION = '6.8.0';

/** Where setup.sh puts Verdaccio: `.vscode-test/verdaccio-<version>/node_modules/verdaccio`, or under DR_VSCODE_TEST_DIR. */
export function verdaccioModule(): string | undefined {
  const root = process.env.DR_VSCODE_TEST_DIR ?? join(__dirname, '..', '..', '..', '.vscode-test');
  const dir = join(root, `verdaccio-${VERDACCIO_VERSION}`, 'node_modules', 'verdaccio');
  return existsSync(join(dir, 'package.json')) ? dir : undefined;
}

export interface Verdaccio {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** `127.0.0.1:<port>` */
  readonly host: string;
  /** Milliseconds from spawning the process to its first open port. */
  readonly startMs: number;
  /** Registers a user through npm's login API (PUT /-/user/org.couchdb.user:<name>) and returns its token. */
  addUser(name: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts Verdaccio with a config in `dir`: storage and htpasswd there, no uplinks (nothing is fetched
 * from anywhere else), `@corp/*` readable and publishable only with a token, everything else
 * readable by all and publishable with a token. Rejects if it does not listen within `timeoutMs`.
 */
export async function startVerdaccio(module: string, dir: string, timeoutMs = 20_000): Promise<Verdaccio> {
  await mkdir(join(dir, 'storage'), { recursive: true });
  const config = join(dir, 'config.yaml');
  await writeFile(
    config,
    [
      'storage: ./storage',
      'auth:',
      '  htpasswd:',
      '    file: ./htpasswd',
      '    max_users: 10',
      'uplinks: {}',
      'packages:',
      "  '@corp/*':",
      '    access: $authenticated',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      'web:',
      '  enable: false',
      'log: { type: stdout, format: json, level: error }',
      '',
    ].join('\n'),
  );
  const started = Date.now();
  const child = spawn(process.execPath, [join(__dirname, 'launch.cjs'), module, config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: cleanEnv(dir) });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error(`Verdaccio did not listen within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`Verdaccio exited with ${code} before listening: ${stderr}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /\{"port":(\d+)\}/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(Number(match[1]));
      }
    });
  });
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    host: `127.0.0.1:${port}`,
    startMs: Date.now() - started,
    async addUser(name, password) {
      const response = await fetch(`${url}-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password }),
      });
      const body = (await response.json()) as { token?: string; error?: string };
      if (response.status !== 201 || typeof body.token !== 'string') throw new Error(`adding user ${name} failed: HTTP ${response.status} ${body.error ?? ''}`);
      return body.token;
    },
    close: () => stop(child),
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The environment for Verdaccio and npm: no npm_* variables from the test runner (`npm test` sets
 * dozens), HOME in the test folder, npm's cache and config there too, no update or audit requests.
 */
export function cleanEnv(home: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^npm_/i.test(key) && !/^(HOME|USERPROFILE|XDG_\w+|HTTPS?_PROXY|NO_PROXY)$/i.test(key)) env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    npm_config_cache: join(home, 'npm-cache'),
    npm_config_globalconfig: join(home, 'no-global-npmrc'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    ...extra,
  };
}

/** Runs the real npm client; resolves with its output, rejects with it on a non-zero exit. */
export function runNpm(
  args: readonly string[],
  options: { cwd: string; home: string; userconfig: string; env?: Readonly<Record<string, string>> },
): Promise<{ stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile(
      'npm',
      [...args],
      { cwd: options.cwd, env: cleanEnv(options.home, { npm_config_userconfig: options.userconfig, ...options.env }), timeout: 60_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`npm ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
        else resolve({ stdout, stderr, ms: Date.now() - started });
      },
    );
  });
}
