import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configList, configString, npmRegistrySettings, parseNpmrc, readNpmConfig } from '../../../src/core/registry/npm-config';

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

  it('derives registry settings: scopes, nerf-dart credentials only (not other nerf-dart keys), TLS and proxy', async () => {
    const text = [
      '@a:registry=https://a.test/',
      '//a.test/:_authToken=t',
      '//a.test/:email=someone@a.test',
      'registry=https://r.test/',
      'min-release-age=2',
      'strict-ssl=false',
      'cafile=/etc/ca.pem',
      'https-proxy=http://proxy.test:8080',
      'noproxy=localhost,.corp',
    ].join('\n');
    const { entries } = parseNpmrc('.npmrc', text, {});
    const config = { values: new Map(entries.map((e) => [e.key, e.value])), origins: new Map(), errors: [] };
    assert.deepStrictEqual(npmRegistrySettings(config), {
      registry: 'https://r.test/',
      scopes: { '@a': 'https://a.test/' },
      credentials: { '//a.test/:_authToken': 't' },
      strictSSL: false,
      cafile: '/etc/ca.pem',
      httpsProxy: 'http://proxy.test:8080',
      noProxy: 'localhost,.corp',
    });
    assert.deepStrictEqual(configList(config, 'min-release-age'), ['2']);
  });
});

describe('readNpmConfig: credentials and variables as npm reads them', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dr-npmrc-auth-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('drops credentials that name no registry and says how to write them (npm 9+ refuses them)', async () => {
    const user = join(dir, 'user.npmrc');
    await writeFile(user, '_authToken=top-secret\n_auth=dXNlcjpwdw==\n//r.test/:_authToken=scoped\nemail=a@b.test\n');
    const config = await readNpmConfig({ dir: join(dir, 'none'), env: { npm_config_userconfig: user } });
    assert.deepStrictEqual([...config.values.keys()], ['//r.test/:_authToken', 'email']);
    assert.deepStrictEqual(
      config.errors.map((e) => e.message),
      [
        `${user}: \`_authToken\` names no registry, so it is not used (npm 9 and later refuse it); write it as //<registry host>/:_authToken=… or run \`npm config fix\`.`,
        `${user}: \`_auth\` names no registry, so it is not used (npm 9 and later refuse it); write it as //<registry host>/:_auth=… or run \`npm config fix\`.`,
      ],
    );
    assert.ok(!JSON.stringify(config.errors).includes('top-secret'), 'the error never repeats the value');
  });

  it('reads npm_config_* as npm does: empty values ignored, a leading underscore kept, nerf-dart names verbatim', async () => {
    const config = await readNpmConfig({
      dir: join(dir, 'none'),
      env: { npm_config_userconfig: join(dir, 'missing'), npm_config_proxy: '', NPM_CONFIG_STRICT_SSL: 'false', 'npm_config_//r.test/:_authToken': 'env-token', npm_config__auth: 'x' },
    });
    assert.deepStrictEqual(Object.fromEntries(config.values), { 'strict-ssl': 'false', '//r.test/:_authToken': 'env-token', _auth: 'x' });
  });

  it('halves backslashes before ${VAR} and leaves an escaped reference as text, like npm', () => {
    const { entries } = parseNpmrc('.npmrc', 'a=\\${X}\nb=\\\\${X}\nc=${X}', { X: 'x' });
    assert.deepStrictEqual(entries, [
      { key: 'a', value: '${X}' },
      { key: 'b', value: '\\x' },
      { key: 'c', value: 'x' },
    ]);
  });

  it('lists the files read, and a project .npmrc skipped in an untrusted project', async () => {
    await mkdir(join(dir, 'project'));
    await writeFile(join(dir, 'project', '.npmrc'), 'registry=https://attacker.example/\n');
    await writeFile(join(dir, 'user.npmrc'), 'registry=https://user.example/\n');
    const env = { npm_config_userconfig: join(dir, 'user.npmrc') };
    const untrusted = await readNpmConfig({ dir: join(dir, 'project'), env, trustProject: false });
    assert.deepStrictEqual({ files: untrusted.files, skipped: untrusted.skipped }, { files: [join(dir, 'user.npmrc')], skipped: [join(dir, 'project', '.npmrc')] });
    const trusted = await readNpmConfig({ dir: join(dir, 'project'), env });
    assert.deepStrictEqual({ files: trusted.files, skipped: trusted.skipped }, { files: [join(dir, 'user.npmrc'), join(dir, 'project', '.npmrc')], skipped: [] });
  });
});
