/** Yarn Berry's .yarnrc.yml: registries, scopes, credentials where Yarn sends them, proxies, ${VAR} and precedence. */

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readYarnConfig, YARN_DEFAULT_REGISTRY } from '../../../src/core/registry/yarn-config';

describe('readYarnConfig', () => {
  let dir: string;
  let home: string;
  let project: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dr-yarnrc-'));
    home = join(dir, 'home');
    project = join(dir, 'work', 'project');
    await mkdir(home, { recursive: true });
    await mkdir(project, { recursive: true });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('maps the registry, scopes, tokens and proxies to npm-registry-fetch settings', async () => {
    await writeFile(
      join(project, '.yarnrc.yml'),
      [
        'npmRegistryServer: "https://npm.corp.example/api/npm"',
        'npmAlwaysAuth: true',
        'npmAuthToken: "${CORP_TOKEN}"',
        'httpProxy: "http://proxy.corp.example:3128"',
        'httpsProxy: "http://proxy.corp.example:3129"',
        'enableStrictSsl: false',
        'caFilePath: /etc/corp-ca.pem',
        'npmScopes:',
        '  private:',
        '    npmRegistryServer: "https://private.example/npm/"',
        '    npmAuthToken: "${PRIVATE_TOKEN:-fallback-token}"',
        '  basic:',
        '    npmRegistryServer: "https://basic.example"',
        '    npmAuthIdent: "alice:secret"',
        '',
      ].join('\n'),
    );
    const result = await readYarnConfig({ dir: project, home, env: { CORP_TOKEN: 'corp-token' } });
    assert.deepStrictEqual(result, {
      settings: {
        registry: 'https://npm.corp.example/api/npm',
        scopes: { '@private': 'https://private.example/npm/', '@basic': 'https://basic.example' },
        credentials: {
          '//npm.corp.example/api/npm/:_authToken': 'corp-token',
          '//private.example/npm/:_authToken': 'fallback-token',
          '//basic.example/:_auth': Buffer.from('alice:secret').toString('base64'),
        },
        strictSSL: false,
        cafile: '/etc/corp-ca.pem',
        proxy: 'http://proxy.corp.example:3128',
        httpsProxy: 'http://proxy.corp.example:3129',
      },
      files: [join(project, '.yarnrc.yml')],
      skipped: [],
      errors: [],
    });
  });

  it('sends the top-level token to the default registry only with npmAlwaysAuth, as Yarn does for unscoped packages', async () => {
    await writeFile(join(project, '.yarnrc.yml'), 'npmRegistryServer: "https://r.example"\nnpmAuthToken: t\n');
    const without = await readYarnConfig({ dir: project, home, env: {} });
    assert.deepStrictEqual(without.settings.credentials, {});
    await writeFile(join(project, '.yarnrc.yml'), 'npmRegistryServer: "https://r.example"\nnpmAuthToken: t\nnpmAlwaysAuth: true\n');
    const withAlways = await readYarnConfig({ dir: project, home, env: {} });
    assert.deepStrictEqual(withAlways.settings.credentials, { '//r.example/:_authToken': 't' });
  });

  it('gives a scope without its own token the npmRegistries entry for its registry', async () => {
    await writeFile(
      join(project, '.yarnrc.yml'),
      ['npmScopes:', '  corp:', '    npmRegistryServer: "https://corp.example/npm"', 'npmRegistries:', '  "//corp.example/npm":', '    npmAuthToken: registry-token', ''].join('\n'),
    );
    const result = await readYarnConfig({ dir: project, home, env: {} });
    assert.deepStrictEqual(result.settings.credentials, { '//corp.example/npm/:_authToken': 'registry-token' });
    assert.equal(result.settings.registry, YARN_DEFAULT_REGISTRY);
  });

  it('lets YARN_* variables win over the nearest file, which wins over parents and home; scopes merge', async () => {
    await writeFile(join(home, '.yarnrc.yml'), 'npmRegistryServer: "https://home.example"\nnpmScopes:\n  a:\n    npmRegistryServer: "https://a-home.example"\n');
    await writeFile(join(dir, 'work', '.yarnrc.yml'), 'npmRegistryServer: "https://parent.example"\nhttpProxy: "http://parent-proxy.example"\nnpmScopes:\n  b:\n    npmRegistryServer: "https://b-parent.example"\n');
    await writeFile(join(project, '.yarnrc.yml'), 'npmRegistryServer: "https://project.example"\nnpmScopes:\n  a:\n    npmRegistryServer: "https://a-project.example"\n');
    const result = await readYarnConfig({ dir: project, home, env: {} });
    assert.deepStrictEqual(
      { registry: result.settings.registry, scopes: result.settings.scopes, proxy: result.settings.proxy },
      { registry: 'https://project.example', scopes: { '@a': 'https://a-project.example', '@b': 'https://b-parent.example' }, proxy: 'http://parent-proxy.example' },
    );
    const fromEnv = await readYarnConfig({ dir: project, home, env: { YARN_NPM_REGISTRY_SERVER: 'https://env.example' } });
    assert.equal(fromEnv.settings.registry, 'https://env.example');
  });

  it('reads only the home file in an untrusted project and lists the project files it skipped', async () => {
    await writeFile(join(home, '.yarnrc.yml'), 'npmRegistryServer: "https://home.example"\n');
    await writeFile(join(project, '.yarnrc.yml'), 'npmRegistryServer: "https://attacker.example"\nnpmAlwaysAuth: true\nnpmAuthToken: "${HOME_SECRET}"\n');
    const result = await readYarnConfig({ dir: project, home, env: { HOME_SECRET: 's' }, trustProject: false });
    assert.deepStrictEqual(
      { registry: result.settings.registry, credentials: result.settings.credentials, files: result.files, skipped: result.skipped },
      { registry: 'https://home.example', credentials: {}, files: [join(home, '.yarnrc.yml')], skipped: [join(project, '.yarnrc.yml')] },
    );
  });

  it('reports a missing variable and a broken file, and keeps the other files', async () => {
    await writeFile(join(home, '.yarnrc.yml'), 'npmRegistryServer: "https://home.example"\n');
    await writeFile(join(dir, 'work', '.yarnrc.yml'), 'npmRegistryServer: [unclosed\n');
    await writeFile(join(project, '.yarnrc.yml'), 'npmAuthToken: "${NOT_SET}"\n');
    const result = await readYarnConfig({ dir: project, home, env: {} });
    assert.equal(result.settings.registry, 'https://home.example');
    assert.deepStrictEqual(
      result.errors.map((e) => e.file),
      [join(project, '.yarnrc.yml'), join(dir, 'work', '.yarnrc.yml')],
    );
    assert.match(result.errors[0]!.message, /environment variable \$\{NOT_SET\} is not set and has no default/);
  });

  it('uses Yarn’s default registry when nothing is configured', async () => {
    const result = await readYarnConfig({ dir: project, home, env: {} });
    assert.deepStrictEqual(result, { settings: { registry: YARN_DEFAULT_REGISTRY, scopes: {}, credentials: {} }, files: [], skipped: [], errors: [] });
  });
});
