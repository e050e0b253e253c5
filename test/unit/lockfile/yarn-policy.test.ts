import assert from 'node:assert/strict';
import { readYarnPolicy } from '../../../src/core/lockfile/yarn-policy';
import { expandEnv, parseBoolean, parseDuration } from '../../../src/core/lockfile/yarn-values';

const RC = '/p/.yarnrc.yml';
const PKG = '/p/package.json';
const rc = (text: string) => ({ file: RC, text });
const pkg = (value: unknown) => ({ file: PKG, text: JSON.stringify(value) });

describe('readYarnPolicy', () => {
  it('reads the gate, preapproved packages, enableScripts and dependenciesMeta approvals', async () => {
    const policy = await readYarnPolicy({
      yarnrc: rc('npmMinimalAgeGate: 3d\nnpmPreapprovedPackages:\n  - "@myorg/*"\n  - lodash\n  - "react@^18"\nenableScripts: false\n'),
      packageJson: pkg({ dependenciesMeta: { esbuild: { built: true }, 'core-js@3.51.0': { built: false }, fsevents: { optional: true } } }),
      env: {},
    });
    assert.deepStrictEqual(policy, {
      manager: 'yarn',
      minReleaseAgeDays: { value: 3, origin: `${RC} npmMinimalAgeGate` },
      minReleaseAgeExclude: { value: ['@myorg/*', 'lodash', 'react@^18'], origin: `${RC} npmPreapprovedPackages` },
      scriptApprovals: { value: { esbuild: true, 'core-js@3.51.0': false }, origin: `${PKG} dependenciesMeta` },
      scriptsBlockedByDefault: { value: true, origin: `${RC} enableScripts` },
      errors: [],
    });
  });

  for (const [written, days] of [
    ['1440', 1],
    ['12h', 0.5],
    ['2w', 14],
    ['.5d', 0.5],
    ['"0"', 0],
  ] as const) {
    it(`normalises npmMinimalAgeGate ${written} (a bare number is minutes) to ${days} days`, async () => {
      const policy = await readYarnPolicy({ yarnrc: rc(`npmMinimalAgeGate: ${written}\n`), env: {} });
      assert.deepStrictEqual(policy.minReleaseAgeDays, { value: days, origin: `${RC} npmMinimalAgeGate` });
    });
  }

  it('expands ${VAR} and ${VAR:-default}, and reports a variable that is not set instead of guessing', async () => {
    const text = 'npmMinimalAgeGate: "${AGE:-2d}"\nenableScripts: "${SCRIPTS}"\n';
    assert.deepStrictEqual((await readYarnPolicy({ yarnrc: rc(text), env: { AGE: '5d', SCRIPTS: 'true' } })).minReleaseAgeDays, { value: 5, origin: `${RC} npmMinimalAgeGate` });
    const unset = await readYarnPolicy({ yarnrc: rc(text), env: {} });
    assert.deepStrictEqual(
      [unset.minReleaseAgeDays, unset.scriptsBlockedByDefault, unset.errors],
      [
        { value: 2, origin: `${RC} npmMinimalAgeGate` },
        undefined,
        [{ file: RC, message: `${RC} enableScripts: environment variable SCRIPTS is not set; Yarn refuses to start with it, and it was ignored.` }],
      ],
    );
  });

  it('lets YARN_* variables win over the file, as Yarn does', async () => {
    const policy = await readYarnPolicy({
      yarnrc: rc('npmMinimalAgeGate: 3d\nnpmPreapprovedPackages: [a]\nenableScripts: false\n'),
      env: { YARN_NPM_MINIMAL_AGE_GATE: '7d', YARN_NPM_PREAPPROVED_PACKAGES: 'b,@c/*', YARN_ENABLE_SCRIPTS: '1' },
    });
    assert.deepStrictEqual(policy, {
      manager: 'yarn',
      minReleaseAgeDays: { value: 7, origin: 'environment YARN_NPM_MINIMAL_AGE_GATE' },
      minReleaseAgeExclude: { value: ['b', '@c/*'], origin: 'environment YARN_NPM_PREAPPROVED_PACKAGES' },
      scriptsBlockedByDefault: { value: false, origin: 'environment YARN_ENABLE_SCRIPTS' },
      errors: [],
    });
  });

  it('reports values Yarn refuses and leaves them out', async () => {
    const policy = await readYarnPolicy({ yarnrc: rc('npmMinimalAgeGate: 3 days\nenableScripts: nope\nnpmPreapprovedPackages: {a: b}\n'), env: {} });
    assert.deepStrictEqual(policy, {
      manager: 'yarn',
      errors: [
        { file: RC, message: `${RC} npmMinimalAgeGate: "3 days" is not a duration (a number, optionally followed by ms, s, m, h, d or w); Yarn refuses to start with it, and it was ignored.` },
        { file: RC, message: `${RC} npmPreapprovedPackages: it is not a single value; Yarn refuses to start with it, and it was ignored.` },
        { file: RC, message: `${RC} enableScripts: "nope" is not a boolean (true, false, 1 or 0); Yarn refuses to start with it, and it was ignored.` },
      ],
    });
  });

  it('exempts a scope whose own gate is 0, and leaves other scope gates alone', async () => {
    const policy = await readYarnPolicy({ yarnrc: rc('npmScopes:\n  myorg:\n    npmMinimalAgeGate: 0\n  other:\n    npmMinimalAgeGate: 2d\n'), env: {} });
    assert.deepStrictEqual(policy.minReleaseAgeExclude, { value: ['@myorg/*'], origin: `${RC} npmScopes.myorg.npmMinimalAgeGate` });
  });

  describe('the defaults of the Yarn version that package.json names', () => {
    for (const [packageManager, gate, blocked] of [
      ['yarn@4.18.1+sha512.abc', 1, true],
      ['yarn@4.15.0', 1, true],
      ['yarn@4.14.1', undefined, true],
      ['yarn@4.12.0', undefined, false],
      ['yarn@3.8.7', undefined, false],
    ] as const) {
      it(`${packageManager}: gate ${gate ?? 'none'}, scripts ${blocked ? 'blocked' : 'allowed'} by default`, async () => {
        const version = packageManager.slice(5).split('+')[0];
        const policy = await readYarnPolicy({ packageJson: pkg({ packageManager }), env: {} });
        assert.deepStrictEqual(policy, {
          manager: 'yarn',
          ...(gate ? { minReleaseAgeDays: { value: gate, origin: `Yarn ${version} default npmMinimalAgeGate (1d)` } } : {}),
          scriptsBlockedByDefault: { value: blocked, origin: `Yarn ${version} default enableScripts (${blocked ? 'false' : 'true'})` },
          errors: [],
        });
      });
    }

    it('assumes no default when the version is unknown (control)', async () => {
      assert.deepStrictEqual(await readYarnPolicy({ packageJson: pkg({}), env: {} }), { manager: 'yarn', errors: [] });
    });

    it('finds the version in .yarnrc.yml yarnPath too', async () => {
      const policy = await readYarnPolicy({ yarnrc: rc('yarnPath: .yarn/releases/yarn-4.16.0.cjs\n'), env: {} });
      assert.deepStrictEqual(policy.minReleaseAgeDays, { value: 1, origin: 'Yarn 4.16.0 default npmMinimalAgeGate (1d)' });
    });

    it('reads nothing for Yarn 1, which ignores .yarnrc.yml and dependenciesMeta', async () => {
      const policy = await readYarnPolicy({
        yarnrc: rc('npmMinimalAgeGate: 3d\nenableScripts: false\n'),
        packageJson: pkg({ packageManager: 'yarn@1.22.22', dependenciesMeta: { esbuild: { built: true } } }),
        env: {},
      });
      assert.deepStrictEqual(policy, { manager: 'yarn', errors: [] });
    });

    it('says Yarn 3 refuses a gate it does not know, and reads 4.10 gates as whole minutes', async () => {
      const old = await readYarnPolicy({ yarnrc: rc('npmMinimalAgeGate: 3d\n'), packageJson: pkg({ packageManager: 'yarn@3.8.7' }), env: {} });
      assert.deepStrictEqual([old.minReleaseAgeDays, old.errors], [
        undefined,
        [{ file: RC, message: `${RC} npmMinimalAgeGate: Yarn 3.8.7 does not know npmMinimalAgeGate (added in Yarn 4.10) and refuses to start with it; it was ignored.` }],
      ]);
      const first = await readYarnPolicy({ yarnrc: rc('npmMinimalAgeGate: 2880\n'), packageJson: pkg({ packageManager: 'yarn@4.10.3' }), env: {} });
      assert.deepStrictEqual(first.minReleaseAgeDays, { value: 2, origin: `${RC} npmMinimalAgeGate` });
    });
  });

  it('reports unusable dependenciesMeta keys and values, and keeps a hostile key a plain string', async () => {
    const text = '{"dependenciesMeta": {"__proto__": {"built": true}, "a@": {"built": true}, "b": {"built": "yes"}, "c@1.0.0": {"built": true}}}';
    const policy = await readYarnPolicy({ packageJson: { file: PKG, text }, env: {} });
    assert.deepStrictEqual(policy, {
      manager: 'yarn',
      scriptApprovals: { value: { 'c@1.0.0': true }, origin: `${PKG} dependenciesMeta` },
      errors: [
        { file: PKG, message: `${PKG}: dependenciesMeta key "__proto__" is not a package name or name@version; it was ignored.` },
        { file: PKG, message: `${PKG}: dependenciesMeta key "a@" is not a package name or name@version; it was ignored.` },
        { file: PKG, message: `${PKG}: dependenciesMeta["b"].built must be true or false; it was ignored.` },
      ],
    });
    assert.equal(({} as Record<string, unknown>).built, undefined);
  });

  it('reports a .yarnrc.yml that is not YAML where it breaks, and a package.json that is not JSON', async () => {
    const policy = await readYarnPolicy({ yarnrc: rc('enableScripts: false\n  bad: [\n'), packageJson: { file: PKG, text: '{' }, env: {} });
    assert.equal(policy.errors.length, 2);
    assert.match(policy.errors[0].message, /^\/p\/package\.json is not valid JSON \(.+\); its dependenciesMeta was not read\.$/);
    assert.match(policy.errors[1].message, /^\/p\/\.yarnrc\.yml is not valid YAML \(.+\); its settings were not read\.$/);
    assert.equal(policy.errors[1].location?.line, 2);
  });
});

describe('expandEnv (Yarn replaceEnvVariables)', () => {
  const env = { A: 'a', EMPTY: '' };
  for (const [text, expected] of [
    ['${A}', { value: 'a' }],
    ['x${A}y', { value: 'xay' }],
    ['${EMPTY}', { value: '' }],
    ['${EMPTY:-d}', { value: 'd' }],
    ['${EMPTY-d}', { value: '' }],
    ['${UNSET-d}', { value: 'd' }],
    ['${UNSET:-${A}}', { value: 'a' }],
    ['${A:-${UNSET}}', { value: 'a' }],
    ['${UNSET:-${ALSO:-deep}}', { value: 'deep' }],
    ['\\${A}', { value: '${A}' }],
    ['a}b', { value: 'a}b' }],
    ['${UNSET}', { problem: 'environment variable UNSET is not set' }],
    ['${1BAD}', { problem: '"${" does not start a valid ${VAR} substitution' }],
    ['${UNSET:-x', { problem: 'a ${VAR:-default} substitution is not closed' }],
  ] as const) {
    it(`expands ${JSON.stringify(text)}`, () => assert.deepStrictEqual(expandEnv(text, env), expected));
  }
});

describe('parseDuration and parseBoolean (Yarn DURATION and BOOLEAN settings)', () => {
  it('reads numbers with units, and bare numbers in the default unit', () => {
    assert.deepStrictEqual(
      ['1.5h', '10', '10ms', '3s', '1w', '1y', '', '-1d', '1 d'].map((t) => parseDuration(t, 'm')),
      [
        { value: 5_400_000 },
        { value: 600_000 },
        { value: 10 },
        { value: 3000 },
        { value: 604_800_000 },
        ...['1y', '', '-1d', '1 d'].map((t) => ({ problem: `"${t}" is not a duration (a number, optionally followed by ms, s, m, h, d or w)` })),
      ],
    );
  });

  it('reads true/false and 1/0 only', () => {
    assert.deepStrictEqual(['true', '1', 'false', '0', 'yes'].map(parseBoolean), [
      { value: true },
      { value: true },
      { value: false },
      { value: false },
      { problem: '"yes" is not a boolean (true, false, 1 or 0)' },
    ]);
  });
});
