import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPnpmPolicy } from '../../../src/core/lockfile/pnpm-policy';
import type { ManagerPolicy } from '../../../src/core/lockfile/types';

const WS = 'pnpm-workspace.yaml';
const PKG = 'package.json';
/** The pnpm-workspace.yaml pnpm 12 generated the pnpm-v9-env fixture with. */
const FIXTURE_YAML = readFileSync(join(__dirname, '..', '..', 'fixtures', 'lockfiles', 'pnpm-v9-env', WS), 'utf8');

function yaml(text: string) {
  return { file: WS, text };
}

function pkg(pnpm: unknown, packageManager?: string) {
  return { file: PKG, text: JSON.stringify({ name: 'app', ...(packageManager ? { packageManager } : {}), pnpm }) };
}

describe('readPnpmPolicy', () => {
  it('reads release age (minutes to days), exclusions, trust policy and allowBuilds from a real pnpm-workspace.yaml', async () => {
    assert.deepStrictEqual(await readPnpmPolicy({ workspaceYaml: yaml(FIXTURE_YAML), packageManager: 'pnpm@12.21.0' }), {
      manager: 'pnpm',
      errors: [],
      minReleaseAgeDays: { value: 7, origin: `${WS} minimumReleaseAge (10080 minutes)` },
      minReleaseAgeExclude: { value: ['is-odd', '@fx/*'], origin: `${WS} minimumReleaseAgeExclude` },
      trustPolicy: { value: 'no-downgrade', origin: `${WS} trustPolicy` },
      scriptApprovals: { value: { 'core-js': false }, origin: `${WS} allowBuilds` },
      scriptsBlockedByDefault: { value: true, origin: 'pnpm 12 default' },
    } satisfies ManagerPolicy);
  });

  it('reports pnpm 11’s default age of 1440 minutes only when packageManager names pnpm 11 or later', async () => {
    const age = async (packageManager?: string) => (await readPnpmPolicy({ workspaceYaml: yaml('packages: []\n'), ...(packageManager ? { packageManager } : {}) })).minReleaseAgeDays;
    assert.deepStrictEqual(await age('pnpm@11.0.0+sha512.abc'), { value: 1, origin: 'pnpm 11 default' });
    assert.deepStrictEqual(await age('pnpm@10.33.4'), undefined);
    assert.deepStrictEqual(await age('yarn@4.1.0'), undefined);
    assert.deepStrictEqual(await age(), undefined);
    // packageManager read from package.json's text.
    assert.deepStrictEqual((await readPnpmPolicy({ packageJson: { file: PKG, text: '{"packageManager": "pnpm@11.2.0"}' } })).minReleaseAgeDays, { value: 1, origin: 'pnpm 11 default' });
  });

  it('keeps an explicit 0 (off) over the default, and reports an age that is not a number', async () => {
    const zero = await readPnpmPolicy({ workspaceYaml: yaml('minimumReleaseAge: 0\n'), packageManager: 'pnpm@11.0.0' });
    assert.deepStrictEqual(zero.minReleaseAgeDays, { value: 0, origin: `${WS} minimumReleaseAge (0 minutes)` });
    const bad = await readPnpmPolicy({ workspaceYaml: yaml('minimumReleaseAge: soon\ntrustPolicy: strict\nminimumReleaseAgeExclude: react\n') });
    assert.deepStrictEqual(bad, {
      manager: 'pnpm',
      errors: [
        { file: WS, message: `${WS} minimumReleaseAge "soon" is not a number of minutes; it was ignored.` },
        { file: WS, message: `${WS} minimumReleaseAgeExclude is not a list of package names or patterns; it was ignored.` },
        { file: WS, message: `${WS} trustPolicy "strict" is neither "no-downgrade" nor "off"; it was ignored.` },
      ],
    });
  });

  it('reads pnpm 10 build settings from package.json: allowlist true, denials false, scripts blocked', async () => {
    const policy = await readPnpmPolicy({
      packageJson: pkg({ onlyBuiltDependencies: ['esbuild', 'core-js'], ignoredBuiltDependencies: ['core-js', 'sharp'] }, 'pnpm@10.5.0'),
    });
    assert.deepStrictEqual(policy, {
      manager: 'pnpm',
      errors: [],
      // core-js is both allowed and ignored: the denial wins.
      scriptApprovals: { value: { esbuild: true, 'core-js': false, sharp: false }, origin: `${PKG} pnpm.onlyBuiltDependencies, ${PKG} pnpm.ignoredBuiltDependencies` },
      scriptsBlockedByDefault: { value: true, origin: 'pnpm 10 default' },
    } satisfies ManagerPolicy);
  });

  it('takes pnpm-workspace.yaml over package.json for the same package', async () => {
    const policy = await readPnpmPolicy({
      workspaceYaml: yaml('allowBuilds:\n  esbuild: false\n  sharp: true\n'),
      packageJson: pkg({ onlyBuiltDependencies: ['esbuild'] }),
    });
    assert.deepStrictEqual(policy.scriptApprovals, {
      value: { esbuild: false, sharp: true },
      origin: `${PKG} pnpm.onlyBuiltDependencies, ${WS} allowBuilds`,
    });
  });

  it('scripts run by default with a denylist only, with dangerouslyAllowAllBuilds, or on a known pnpm before 10; unknown otherwise', async () => {
    const blocked = async (files: Parameters<typeof readPnpmPolicy>[0]) => (await readPnpmPolicy(files)).scriptsBlockedByDefault;
    assert.deepStrictEqual(await blocked({ packageJson: pkg({ neverBuiltDependencies: ['fsevents'] }, 'pnpm@10.1.0') }), {
      value: false,
      origin: `${PKG} pnpm.neverBuiltDependencies`,
    });
    assert.deepStrictEqual(await blocked({ workspaceYaml: yaml('dangerouslyAllowAllBuilds: true\n'), packageManager: 'pnpm@10.9.0' }), {
      value: false,
      origin: `${WS} dangerouslyAllowAllBuilds`,
    });
    // A quoted "true" is a string, which pnpm does not take as the boolean (control).
    assert.deepStrictEqual(await blocked({ workspaceYaml: yaml("dangerouslyAllowAllBuilds: 'true'\n"), packageManager: 'pnpm@10.9.0' }), {
      value: true,
      origin: 'pnpm 10 default',
    });
    assert.deepStrictEqual(await blocked({ packageManager: 'pnpm@9.15.9' }), { value: false, origin: 'pnpm 9 default' });
    assert.deepStrictEqual(await blocked({ packageJson: pkg({ onlyBuiltDependencies: [] }) }), { value: true, origin: `${PKG} pnpm.onlyBuiltDependencies` });
    assert.deepStrictEqual(await blocked({}), undefined);
  });

  it('reports package.json settings that pnpm ignores there, and the whole pnpm field under pnpm 11', async () => {
    const ten = await readPnpmPolicy({ packageJson: pkg({ minimumReleaseAge: 1440, onlyBuiltDependencies: ['esbuild'] }, 'pnpm@10.20.0') });
    assert.deepStrictEqual(ten.errors, [
      { file: PKG, message: `${PKG} sets pnpm.minimumReleaseAge, which pnpm does not read from package.json; it was ignored. Move it to pnpm-workspace.yaml.` },
    ]);
    assert.deepStrictEqual([ten.minReleaseAgeDays, ten.scriptApprovals?.value], [undefined, { esbuild: true }]);
    const eleven = await readPnpmPolicy({ packageJson: pkg({ onlyBuiltDependencies: ['esbuild'], patchedDependencies: {} }, 'pnpm@11.1.2') });
    assert.deepStrictEqual(eleven, {
      manager: 'pnpm',
      errors: [
        {
          file: PKG,
          message: `${PKG} sets pnpm.onlyBuiltDependencies, which pnpm 11 does not read (it reads settings from pnpm-workspace.yaml); they were ignored. Move them to pnpm-workspace.yaml.`,
        },
      ],
      minReleaseAgeDays: { value: 1, origin: 'pnpm 11 default' },
      scriptsBlockedByDefault: { value: true, origin: 'pnpm 11 default' },
    } satisfies ManagerPolicy);
  });

  it('accepts an already parsed pnpm field', async () => {
    const policy = await readPnpmPolicy({ packageJson: { file: PKG, pnpm: { neverBuiltDependencies: ['fsevents'] }, packageManager: 'pnpm@9.0.0' } });
    assert.deepStrictEqual(policy.scriptApprovals, { value: { fsevents: false }, origin: `${PKG} pnpm.neverBuiltDependencies` });
  });

  it('keeps "__proto__" and "constructor" as plain package names and pollutes no prototype', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype);
    const policy = await readPnpmPolicy({
      workspaceYaml: yaml("allowBuilds:\n  __proto__: true\n  constructor: false\n"),
      packageJson: { file: PKG, text: '{"pnpm": {"onlyBuiltDependencies": ["__proto__"], "__proto__": {"polluted": true}}}' },
    });
    assert.deepStrictEqual(Object.getOwnPropertyNames(Object.prototype), before);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const approvals = policy.scriptApprovals?.value ?? {};
    assert.deepStrictEqual(Object.entries(approvals), [['__proto__', true], ['constructor', false]]);
    assert.equal(Object.getPrototypeOf(approvals), Object.prototype);
  });

  it('reports allowBuilds values that are not booleans, invalid YAML with its location, and invalid JSON', async () => {
    const text = "allowBuilds:\n  esbuild: 'set this to true or false'\n  sharp: true\n";
    const policy = await readPnpmPolicy({ workspaceYaml: yaml(text) });
    assert.deepStrictEqual(policy.errors, [
      { file: WS, message: `${WS} allowBuilds "esbuild" is neither true nor false, so pnpm takes no decision from it; it was ignored.` },
    ]);
    assert.deepStrictEqual(policy.scriptApprovals?.value, { sharp: true });
    const broken = await readPnpmPolicy({ workspaceYaml: yaml('minimumReleaseAge: 2880\nallowBuilds: [esbuild\n') });
    assert.deepStrictEqual(broken.errors.map((e) => [e.message, e.location?.line]), [
      [`${WS} is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1; the settings that could be read were used.`, 3],
    ]);
    assert.deepStrictEqual(broken.minReleaseAgeDays, { value: 2, origin: `${WS} minimumReleaseAge (2880 minutes)` });
    const json = await readPnpmPolicy({ packageJson: { file: PKG, text: '{"pnpm": ' } });
    assert.equal(json.errors.length, 1);
    assert.match(json.errors[0].message, /^package\.json is not valid JSON \(.+\); its pnpm settings were not used\.$/);
  });

  it('never throws on a deeply nested pnpm-workspace.yaml', async () => {
    const policy = await readPnpmPolicy({ workspaceYaml: yaml(`x: ${'['.repeat(100_000)}`) });
    assert.deepStrictEqual(policy.errors, [
      { file: WS, message: `${WS} could not be read (flow collections ([ ] and { }) nested more than 64 deep); its settings were not used.` },
    ]);
  });
});
