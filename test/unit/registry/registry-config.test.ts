/** resolveRegistryConfig: which files apply per package manager, bunfig.toml, trust, cafile and the editor's proxy settings. */

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBunConfig } from '../../../src/core/registry/bun-config';
import { resolveRegistryConfig } from '../../../src/core/registry/registry-config';
import { withNetworkDefaults } from '../../../src/core/registry/registry-settings';

const TLS = join(__dirname, '..', '..', 'fixtures', 'tls');

describe('resolveRegistryConfig', () => {
  let dir: string;
  let home: string;
  let project: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dr-registry-config-'));
    home = join(dir, 'home');
    project = join(dir, 'project');
    await mkdir(home);
    await mkdir(project);
    env = { HOME: home, npm_config_userconfig: join(home, '.npmrc'), npm_config_globalconfig: join(dir, 'global-npmrc'), XDG_CONFIG_HOME: join(home, '.config') };
    await writeFile(join(home, '.npmrc'), '@corp:registry=https://corp.example/npm/\n//corp.example/npm/:_authToken=user-token\n');
    await writeFile(join(project, '.npmrc'), 'registry=https://project-npm.example/\n');
    await writeFile(join(project, '.yarnrc.yml'), 'npmRegistryServer: "https://project-yarn.example"\n');
    await writeFile(join(project, 'bunfig.toml'), '[install]\nregistry = "https://project-bun.example/"\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads the .npmrc chain for npm, pnpm and Yarn 1', async () => {
    for (const manager of ['npm', 'pnpm', 'yarn-classic'] as const) {
      const config = await resolveRegistryConfig({ dir: project, env, manager, home });
      assert.deepStrictEqual(
        { registry: config.registry, scopes: config.scopes, npmOptions: config.npmOptions, files: config.files },
        {
          registry: 'https://project-npm.example/',
          scopes: { '@corp': 'https://corp.example/npm/' },
          npmOptions: { '//corp.example/npm/:_authToken': 'user-token' },
          files: [join(home, '.npmrc'), join(project, '.npmrc')],
        },
        manager,
      );
    }
  });

  it('reads pnpm’s global rc file for pnpm only', async () => {
    await mkdir(join(home, '.config', 'pnpm'), { recursive: true });
    await writeFile(join(home, '.config', 'pnpm', 'rc'), '@pnpm-only:registry=https://pnpm-rc.example/\n');
    const pnpm = await resolveRegistryConfig({ dir: project, env, manager: 'pnpm', home });
    const npm = await resolveRegistryConfig({ dir: project, env, manager: 'npm', home });
    assert.equal(pnpm.scopes['@pnpm-only'], 'https://pnpm-rc.example/');
    assert.equal(npm.scopes['@pnpm-only'], undefined);
  });

  it('reads only .yarnrc.yml for Yarn Berry, never .npmrc', async () => {
    const config = await resolveRegistryConfig({ dir: project, env, manager: 'yarn', home });
    assert.deepStrictEqual(
      { registry: config.registry, scopes: config.scopes, npmOptions: config.npmOptions },
      { registry: 'https://project-yarn.example', scopes: {}, npmOptions: {} },
    );
  });

  it('lays bunfig.toml over the .npmrc chain for Bun', async () => {
    const config = await resolveRegistryConfig({ dir: project, env, manager: 'bun', home });
    assert.deepStrictEqual(
      { registry: config.registry, scopes: config.scopes, npmOptions: config.npmOptions },
      { registry: 'https://project-bun.example/', scopes: { '@corp': 'https://corp.example/npm/' }, npmOptions: { '//corp.example/npm/:_authToken': 'user-token' } },
    );
  });

  for (const manager of ['npm', 'yarn', 'bun'] as const) {
    it(`reads none of the project's own files for ${manager} when the project is untrusted, and names them`, async () => {
      const config = await resolveRegistryConfig({ dir: project, env, manager, home, trustProject: false });
      const own = { npm: ['.npmrc'], yarn: ['.yarnrc.yml'], bun: ['.npmrc', 'bunfig.toml'] }[manager].map((f) => join(project, f));
      assert.deepStrictEqual(config.skipped, own);
      assert.ok(!config.files.some((f) => f.startsWith(project)), `no project file read: ${config.files.join(', ')}`);
      assert.ok(!config.registry.includes('project-'), config.registry);
    });
  }

  it('reads cafile into ca, and reports a missing one without failing', async () => {
    await writeFile(join(home, '.npmrc'), `cafile=${join(TLS, 'loopback.crt')}\n`);
    const config = await resolveRegistryConfig({ dir: project, env, manager: 'npm', home });
    assert.deepStrictEqual(config.npmOptions.ca, [(await readFile(join(TLS, 'loopback.crt'), 'utf8')).trim()]);
    await writeFile(join(home, '.npmrc'), `cafile=${join(dir, 'nope.pem')}\n`);
    const missing = await resolveRegistryConfig({ dir: project, env, manager: 'npm', home });
    assert.deepStrictEqual(missing.errors, [
      { file: join(home, '.npmrc'), message: `${join(home, '.npmrc')}: the CA file ${join(dir, 'nope.pem')} does not exist; registries with private certificates will fail TLS checks.` },
    ]);
    assert.equal(missing.npmOptions.ca, undefined);
  });

  it('uses the editor’s proxy settings only where the files set none', async () => {
    const network = { proxy: 'http://editor-proxy.example:8080', noProxy: ['internal.example'], proxyStrictSSL: false };
    const plain = await resolveRegistryConfig({ dir: project, env, manager: 'npm', home, network });
    assert.deepStrictEqual(
      { proxy: plain.npmOptions.proxy, httpsProxy: plain.npmOptions.httpsProxy, noProxy: plain.npmOptions.noProxy, strictSSL: plain.npmOptions.strictSSL },
      { proxy: 'http://editor-proxy.example:8080', httpsProxy: 'http://editor-proxy.example:8080', noProxy: 'internal.example', strictSSL: false },
    );
    await writeFile(join(home, '.npmrc'), 'https-proxy=http://npmrc-proxy.example:3128\nnoproxy=corp.example\nstrict-ssl=true\n');
    const configured = await resolveRegistryConfig({ dir: project, env, manager: 'npm', home, network });
    assert.deepStrictEqual(
      { proxy: configured.npmOptions.proxy, httpsProxy: configured.npmOptions.httpsProxy, noProxy: configured.npmOptions.noProxy, strictSSL: configured.npmOptions.strictSSL },
      { proxy: undefined, httpsProxy: 'http://npmrc-proxy.example:3128', noProxy: 'corp.example', strictSSL: true },
    );
  });
});

describe('withNetworkDefaults', () => {
  it('keeps TLS checks on direct connections even when proxyStrictSSL is false', () => {
    assert.deepStrictEqual(withNetworkDefaults({ scopes: {}, credentials: {} }, { proxyStrictSSL: false }), { scopes: {}, credentials: {} });
  });

  it('relaxes them for a configured proxy when proxyStrictSSL is false and strict-ssl is unset (control)', () => {
    assert.deepStrictEqual(withNetworkDefaults({ scopes: {}, credentials: {}, httpsProxy: 'http://p' }, { proxyStrictSSL: false }), {
      scopes: {},
      credentials: {},
      httpsProxy: 'http://p',
      strictSSL: false,
    });
  });
});

describe('readBunConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dr-bunfig-'));
    await mkdir(join(dir, 'home'));
    await mkdir(join(dir, 'project'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads registries as URLs (with user info) or tables (token, username and password), scopes with or without @', async () => {
    await writeFile(
      join(dir, 'project', 'bunfig.toml'),
      [
        '[install]',
        'registry = { url = "https://main.example/npm/", token = "$MAIN_TOKEN" }',
        '[install.scopes]',
        '"@one" = "https://alice:s%40cret@one.example/"',
        'two = { url = "https://two.example", username = "bob", password = "${BOB_PASS}" }',
        '"@three" = { token = "t3", url = "https://three.example/" }',
        '',
      ].join('\n'),
    );
    const result = await readBunConfig({ dir: join(dir, 'project'), home: join(dir, 'home'), env: { MAIN_TOKEN: 'main-token', BOB_PASS: 'pw' } });
    assert.deepStrictEqual(result, {
      registry: 'https://main.example/npm/',
      scopes: { '@one': 'https://one.example/', '@two': 'https://two.example', '@three': 'https://three.example/' },
      credentials: {
        '//main.example/npm/:_authToken': 'main-token',
        '//one.example/:_auth': Buffer.from('alice:s@cret').toString('base64'),
        '//two.example/:_auth': Buffer.from('bob:pw').toString('base64'),
        '//three.example/:_authToken': 't3',
      },
      files: [join(dir, 'project', 'bunfig.toml')],
      skipped: [],
      errors: [],
    });
  });

  it('refuses an entry whose variable is unset instead of sending an empty credential', async () => {
    await writeFile(join(dir, 'project', 'bunfig.toml'), '[install.scopes]\nx = { url = "https://x.example/", token = "$NOPE" }\n');
    const result = await readBunConfig({ dir: join(dir, 'project'), home: join(dir, 'home'), env: {} });
    assert.deepStrictEqual({ scopes: result.scopes, credentials: result.credentials }, { scopes: {}, credentials: {} });
    assert.deepStrictEqual(result.errors.map((e) => e.message), [`${join(dir, 'project', 'bunfig.toml')}: install.scopes.@x uses $NOPE, which is not set; the entry is not used.`]);
  });

  it('lets the project bunfig win over the global one, and BUN_CONFIG_REGISTRY / BUN_CONFIG_TOKEN over both', async () => {
    await writeFile(join(dir, 'home', '.bunfig.toml'), '[install]\nregistry = "https://global.example/"\n[install.scopes]\ng = "https://g.example/"\n');
    await writeFile(join(dir, 'project', 'bunfig.toml'), '[install]\nregistry = "https://project.example/"\n');
    const files = await readBunConfig({ dir: join(dir, 'project'), home: join(dir, 'home'), env: {} });
    assert.deepStrictEqual({ registry: files.registry, scopes: files.scopes }, { registry: 'https://project.example/', scopes: { '@g': 'https://g.example/' } });
    const fromEnv = await readBunConfig({ dir: join(dir, 'project'), home: join(dir, 'home'), env: { BUN_CONFIG_REGISTRY: 'https://env.example/', BUN_CONFIG_TOKEN: 'env-token' } });
    assert.deepStrictEqual({ registry: fromEnv.registry, credentials: fromEnv.credentials }, { registry: 'https://env.example/', credentials: { '//env.example/:_authToken': 'env-token' } });
  });
});
