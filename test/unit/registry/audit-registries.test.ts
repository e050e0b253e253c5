/** auditProject with a private scoped registry configured the way each package manager reads it, trusted and untrusted. */

import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { auditProject } from '../../../src/core/audit';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { FIXTURE_DIR, makeTempDir, T0 } from '../../support/registry-client-kit';

const TOKEN = 'priv-token-7f3a9c';

describe('auditProject: private scoped registries per package manager', () => {
  let priv: FixtureRegistry;
  let pub: FixtureRegistry;
  let dir: string;
  let remove: () => Promise<void>;
  before(async () => {
    priv = await startFixtureRegistry({ dir: FIXTURE_DIR });
    pub = await startFixtureRegistry({ dir: FIXTURE_DIR });
    priv.setBehaviour('@scope/scoped-lib', { requireAuthorization: `Bearer ${TOKEN}` });
  });
  after(async () => {
    await priv.close();
    await pub.close();
  });
  beforeEach(async () => {
    priv.resetStats();
    pub.resetStats();
    ({ dir, remove } = await makeTempDir());
    await mkdir(join(dir, 'home'));
    await mkdir(join(dir, 'project'));
  });
  afterEach(() => remove());

  /** The project's own config file for each manager, pointing @scope at `priv` with the token from $PRIV_TOKEN. */
  const setups = {
    npm: { packageManager: 'npm@11.0.0', file: '.npmrc', text: () => `registry=${pub.url}\n@scope:registry=${priv.url}\n//${priv.host}/:_authToken=\${PRIV_TOKEN}\n` },
    pnpm: { packageManager: 'pnpm@10.0.0', file: '.npmrc', text: () => `registry=${pub.url}\n@scope:registry=${priv.url}\n//${priv.host}/:_authToken=\${PRIV_TOKEN}\n` },
    yarn: {
      packageManager: 'yarn@4.5.0',
      file: '.yarnrc.yml',
      text: () => `npmRegistryServer: "${pub.url}"\nnpmScopes:\n  scope:\n    npmRegistryServer: "${priv.url}"\n    npmAuthToken: "\${PRIV_TOKEN}"\n`,
    },
    bun: { packageManager: 'bun@1.2.0', file: 'bunfig.toml', text: () => `[install]\nregistry = "${pub.url}"\n[install.scopes]\nscope = { url = "${priv.url}", token = "$PRIV_TOKEN" }\n` },
  } as const;

  for (const [manager, setup] of Object.entries(setups)) {
    it(`${manager}: asks the scope’s registry with its token, and the public one without`, async () => {
      const project = join(dir, 'project');
      await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', packageManager: setup.packageManager, dependencies: { '@scope/scoped-lib': '1.0.1', 'example-lib': '1.2.0' } }));
      await writeFile(join(project, setup.file), setup.text());
      const seen: unknown[] = [];
      const env = { HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'home', '.config'), npm_config_userconfig: join(dir, 'home', '.npmrc'), PRIV_TOKEN: TOKEN };
      const report = await auditProject({ dir: project, now: T0, env, trustProject: true }, { onRegistryConfig: (c) => seen.push(c) });
      assert.deepStrictEqual(report.errors, []);
      assert.deepStrictEqual(report.packages.map((p) => [p.name, p.checked]), [['@scope/scoped-lib', true], ['example-lib', true]]);
      assert.deepStrictEqual(priv.requests.map((r) => [r.url, r.headers.authorization]), [['/@scope%2fscoped-lib', `Bearer ${TOKEN}`]]);
      assert.deepStrictEqual(pub.requests.map((r) => [r.url, r.headers.authorization]), [['/example-lib', undefined]]);
      assert.deepStrictEqual(seen, [{ manager, files: [join(project, setup.file)], skipped: [] }]);
    });

    it(`${manager}: in an untrusted project reads only the user’s files and never asks the project’s registry`, async () => {
      const project = join(dir, 'project');
      await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', packageManager: setup.packageManager, dependencies: { '@scope/scoped-lib': '1.0.1' } }));
      await writeFile(join(project, setup.file), setup.text());
      // The user's own configuration sends everything to a closed loopback port: nothing leaves the machine.
      await writeFile(join(dir, 'home', '.npmrc'), 'registry=http://127.0.0.1:9/\n');
      await writeFile(join(dir, 'home', '.yarnrc.yml'), 'npmRegistryServer: "http://127.0.0.1:9/"\n');
      const seen: Array<{ skipped: readonly string[] }> = [];
      const env = { HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'home', '.config'), npm_config_userconfig: join(dir, 'home', '.npmrc'), PRIV_TOKEN: TOKEN };
      const report = await auditProject({ dir: project, now: T0, env, trustProject: false }, { onRegistryConfig: (c) => seen.push(c) });
      assert.deepStrictEqual(seen.map((c) => c.skipped), [[join(project, setup.file)]]);
      assert.deepStrictEqual([priv.requests.length, pub.requests.length], [0, 0]);
      assert.deepStrictEqual(report.errors.map((e) => [e.kind, e.package]), [['offline', '@scope/scoped-lib']]);
    });
  }
});
