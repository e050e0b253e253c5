/**
 * Parity with npm: the registry settings our .npmrc reader derives equal those npm's own config
 * reader (@npmcli/config, from the npm installed beside Node) hands to npm-registry-fetch, on the same files.
 */

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveRegistryConfig } from '../../../src/core/registry/registry-config';

const TLS = join(__dirname, '..', '..', 'fixtures', 'tls');

interface NpmConfigModule {
  new (options: Record<string, unknown>): { load(): Promise<void>; flat: Record<string, unknown> };
}

/** What npm would hand npm-registry-fetch for registry requests, in one comparable shape. */
interface RegistryView {
  registry: string;
  scopes: Record<string, string>;
  credentials: Record<string, string>;
  strictSSL: boolean;
  ca: string[] | null;
  proxy: string | null;
  httpsProxy: string | null;
  noProxy: string | null;
}

function view(registry: string, scopes: Record<string, unknown>, options: Record<string, unknown>): RegistryView {
  const pick = (key: string) => (typeof options[key] === 'string' && options[key] !== '' ? (options[key] as string) : null);
  return {
    registry,
    scopes: Object.fromEntries(Object.entries(scopes).filter((e): e is [string, string] => typeof e[1] === 'string')),
    credentials: Object.fromEntries(Object.entries(options).filter((e): e is [string, string] => e[0].startsWith('//') && typeof e[1] === 'string')),
    strictSSL: options['strictSSL'] !== false,
    ca: Array.isArray(options['ca']) ? (options['ca'] as string[]) : typeof options['ca'] === 'string' ? [options['ca']] : null,
    proxy: pick('proxy'),
    httpsProxy: pick('httpsProxy'),
    noProxy: pick('noProxy'),
  };
}

describe('npm parity: .npmrc registry settings', function () {
  let npmRoot: string | undefined;
  let Config: NpmConfigModule;
  let definitions: Record<string, unknown>;
  let dir: string;

  before(function () {
    try {
      npmRoot = join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8', timeout: 10_000 }).trim(), 'npm');
    } catch (error) {
      void error; // no npm on PATH: nothing to compare against
    }
    if (npmRoot === undefined || !existsSync(join(npmRoot, 'node_modules', '@npmcli', 'config'))) {
      this.skip();
      return;
    }
    const load = createRequire(join(npmRoot, 'package.json'));
    Config = load('@npmcli/config') as NpmConfigModule;
    definitions = load('@npmcli/config/lib/definitions') as Record<string, unknown>;
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dr-npm-parity-'));
    await mkdir(join(dir, 'project'));
    await mkdir(join(dir, 'npm-path'));
    await writeFile(join(dir, 'project', 'package.json'), '{"name":"p","version":"1.0.0"}');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function compare(files: { user?: string; project?: string; global?: string }, extraEnv: Record<string, string> = {}): Promise<RegistryView> {
    if (files.user !== undefined) await writeFile(join(dir, 'user.npmrc'), files.user);
    if (files.global !== undefined) await writeFile(join(dir, 'global.npmrc'), files.global);
    if (files.project !== undefined) await writeFile(join(dir, 'project', '.npmrc'), files.project);
    const env: Record<string, string> = {
      HOME: dir,
      npm_config_userconfig: join(dir, 'user.npmrc'),
      npm_config_globalconfig: join(dir, 'global.npmrc'),
      ...extraEnv,
    };
    const npm = new Config({
      ...definitions,
      npmPath: join(dir, 'npm-path'),
      argv: ['node', 'npm'],
      env,
      cwd: join(dir, 'project'),
      execPath: process.execPath,
      platform: process.platform,
    });
    await npm.load();
    const flat = npm.flat;
    const theirs = view(
      String(flat['registry']),
      Object.fromEntries(Object.entries(flat).filter(([k]) => /^@.*:registry$/.test(k)).map(([k, v]) => [k.slice(0, -':registry'.length), v])),
      flat,
    );
    const ours = await resolveRegistryConfig({ dir: join(dir, 'project'), env, manager: 'npm', home: dir });
    assert.deepStrictEqual(ours.errors, []);
    assert.deepStrictEqual(view(ours.registry, ours.scopes, ours.npmOptions as Record<string, unknown>), theirs);
    return theirs;
  }

  it('scoped registries and credentials of every kind, project over user over global', async () => {
    const seen = await compare({
      global: 'registry=https://global.example/\n//global.example/:_authToken=global-token\n',
      user: [
        'registry=https://npm.corp.example/api/npm/',
        '//npm.corp.example/api/npm/:_authToken=user-token',
        '//basic.example/:username=alice',
        '//basic.example/:_password=c2VjcmV0',
        '//legacy.example/path/:_auth=YWxpY2U6c2VjcmV0',
        '//mtls.example/:certfile=/nonexistent/cert.pem',
        '//mtls.example/:keyfile=/nonexistent/key.pem',
        '@corp:registry=https://user-scope.example/',
      ].join('\n'),
      project: ['@corp:registry=https://npm.corp.example/api/npm/corp/', '@other:registry=http://127.0.0.1:4873', '//127.0.0.1:4873/:_authToken=${LOCAL_TOKEN}'].join('\n'),
    }, { LOCAL_TOKEN: 'local-token' });
    assert.equal(seen.credentials['//127.0.0.1:4873/:_authToken'], 'local-token'); // control: the case exercised what it names
  });

  it('strict-ssl, proxies and noproxy lists from files and npm_config_* variables (empty variables ignored; always-auth changes nothing)', async () => {
    const seen = await compare(
      { user: 'strict-ssl=false\nalways-auth=true\nproxy=http://proxy.user.example:3128/\nnoproxy[]=internal.example\nnoproxy[]=.corp.example\n' },
      { npm_config_https_proxy: 'http://proxy.env.example:8080/', npm_config_proxy: '', npm_config_registry: 'https://env-registry.example/' },
    );
    assert.equal(seen.strictSSL, false);
  });

  it('cafile read into ca, split after each certificate', async () => {
    const both = join(dir, 'both.pem');
    const { readFile } = await import('node:fs/promises');
    await writeFile(both, (await readFile(join(TLS, 'loopback.crt'), 'utf8')) + (await readFile(join(TLS, 'other.crt'), 'utf8')));
    const seen = await compare({ user: `cafile=${both}\n` });
    assert.equal(seen.ca?.length, 2);
  });

  it('defaults when nothing is configured', async () => {
    const seen = await compare({});
    assert.equal(seen.registry, 'https://registry.npmjs.org/');
  });
});
