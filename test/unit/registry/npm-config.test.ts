import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configList, configString, parseNpmrc, readNpmConfig, registryOptionsOf } from '../../../src/core/registry/npm-config';

describe('parseNpmrc', () => {
  it('reads keys, arrays, comments, quotes and normalises option names', () => {
    const text = [
      '; a comment',
      '# another',
      'min_release_age = 3',
      'min-release-age-exclude[]=@myorg/*',
      'min-release-age-exclude[] = internal-pkg',
      'registry="https://npm.example.com/"',
      '@corp:registry=https://corp.example.com/npm/',
      '//corp.example.com/npm/:_authToken=${TOKEN}',
      '',
    ].join('\r\n');
    const { entries, errors } = parseNpmrc('.npmrc', text, { TOKEN: 'secret-token' });
    assert.deepStrictEqual(errors, []);
    assert.deepStrictEqual(entries, [
      { key: 'min-release-age', value: '3' },
      { key: 'min-release-age-exclude', value: ['@myorg/*', 'internal-pkg'] },
      { key: 'registry', value: 'https://npm.example.com/' },
      { key: '@corp:registry', value: 'https://corp.example.com/npm/' },
      { key: '//corp.example.com/npm/:_authToken', value: 'secret-token' },
    ]);
  });

  it('reports an unset ${VAR} naming the file and line, and skips only that line', () => {
    const { entries, errors } = parseNpmrc('/p/.npmrc', '//r.test/:_authToken=${NOPE}\nregistry=https://r.test/\nx=${OPT?}', {});
    assert.deepStrictEqual(errors, [{ file: '/p/.npmrc', message: '/p/.npmrc line 1: environment variable ${NOPE} is not set; the line is ignored.' }]);
    assert.deepStrictEqual(entries, [{ key: 'registry', value: 'https://r.test/' }, { key: 'x', value: '' }]);
  });
});

describe('readNpmConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dr-npmrc-'));
    await mkdir(join(dir, 'project'));
    await writeFile(join(dir, 'user.npmrc'), 'min-release-age=10\nregistry=https://user.example/\n');
    await writeFile(join(dir, 'project', '.npmrc'), 'min-release-age=3\nregistry=https://attacker.example/\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lets the project .npmrc win over the user one, and npm_config_* over both', async () => {
    const env = { npm_config_userconfig: join(dir, 'user.npmrc'), npm_config_registry: 'https://env.example/' };
    const config = await readNpmConfig({ dir: join(dir, 'project'), env });
    assert.equal(configString(config, 'min-release-age'), '3');
    assert.equal(config.origins.get('min-release-age'), join(dir, 'project', '.npmrc'));
    assert.equal(configString(config, 'registry'), 'https://env.example/');
    assert.equal(config.origins.get('registry'), 'environment');
  });

  it('does not read the project .npmrc when the project is not trusted', async () => {
    const config = await readNpmConfig({ dir: join(dir, 'project'), env: { npm_config_userconfig: join(dir, 'user.npmrc') }, trustProject: false });
    assert.equal(configString(config, 'registry'), 'https://user.example/');
    assert.equal(configString(config, 'min-release-age'), '10');
  });

  it('treats missing files as empty', async () => {
    const config = await readNpmConfig({ dir: join(dir, 'nowhere'), env: { npm_config_userconfig: join(dir, 'missing') } });
    assert.deepStrictEqual([...config.values], []);
    assert.deepStrictEqual(config.errors, []);
  });

  it('derives registry options: scopes, nerf-dart credentials, and TLS/proxy options under npm-registry-fetch names', async () => {
    const text = '@a:registry=https://a.test/\n//a.test/:_authToken=t\nregistry=https://r.test/\nmin-release-age=2\nstrict-ssl=false\nhttps-proxy=http://proxy.test:8080\nnoproxy=localhost,.corp';
    const { entries } = parseNpmrc('.npmrc', text, {});
    const config = { values: new Map(entries.map((e) => [e.key, e.value])), origins: new Map(), errors: [] };
    assert.deepStrictEqual(registryOptionsOf(config), {
      registry: 'https://r.test/',
      scopes: { '@a': 'https://a.test/' },
      npmOptions: { '//a.test/:_authToken': 't', strictSSL: false, httpsProxy: 'http://proxy.test:8080', noProxy: 'localhost,.corp' },
    });
    assert.deepStrictEqual(configList(config, 'min-release-age'), ['2']);
  });
});
