import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBunPolicy, secondsOf } from '../../../src/core/lockfile/bun-policy';
import type { ManagerPolicy } from '../../../src/core/lockfile/types';
import { locationOf } from './npm-fixtures';

const APP = join(__dirname, '..', '..', 'fixtures', 'lockfiles', 'bun-app');
const BLOCKED: ManagerPolicy['scriptsBlockedByDefault'] = {
  value: true,
  origin: 'Bun, which runs dependency lifecycle scripts only for trustedDependencies (or, when package.json has none, for its built-in list of popular packages)',
};

function bunfig(text: string): { bunfig: { file: string; text: string } } {
  return { bunfig: { file: 'bunfig.toml', text } };
}

describe('readBunPolicy', () => {
  it('reads the fixture app: three days in seconds, exact-name and exact-version exclusions, trusted dependencies', async () => {
    const policy = await readBunPolicy({
      bunfig: { file: 'app/bunfig.toml', text: readFileSync(join(APP, 'bunfig.toml'), 'utf8') },
      packageJson: { file: 'app/package.json', text: readFileSync(join(APP, 'package.json'), 'utf8') },
    });
    assert.deepStrictEqual(policy, {
      manager: 'bun',
      minReleaseAgeDays: { value: 3, origin: 'app/bunfig.toml install.minimumReleaseAge' },
      minReleaseAgeExclude: { value: ['@parcel/watcher', 'typescript@5.9.3'], origin: 'app/bunfig.toml install.minimumReleaseAgeExcludes' },
      scriptApprovals: { value: { '@parcel/watcher': true }, origin: 'app/package.json trustedDependencies' },
      scriptsBlockedByDefault: BLOCKED,
      errors: [],
    });
  });

  it('says only that Bun blocks scripts when there is no file, or no setting in one', async () => {
    const none: ManagerPolicy = { manager: 'bun', scriptsBlockedByDefault: BLOCKED, errors: [] };
    assert.deepStrictEqual(await readBunPolicy({}), none);
    assert.deepStrictEqual(await readBunPolicy({ ...bunfig('[install]\nexact = true\n'), packageJson: { file: 'package.json', text: '{ "name": "x" }' } }), none);
  });

  it('keeps an explicit empty trustedDependencies, which turns off Bun\'s built-in list', async () => {
    const policy = await readBunPolicy({ packageJson: { file: 'package.json', text: '{ "trustedDependencies": [] }' } });
    assert.deepStrictEqual(policy.scriptApprovals, { value: {}, origin: 'package.json trustedDependencies' });
  });

  it('reads dotted keys and the install table alike', async () => {
    const policy = await readBunPolicy(bunfig('install.minimumReleaseAge = 86400\n'));
    assert.deepStrictEqual(policy.minReleaseAgeDays, { value: 1, origin: 'bunfig.toml install.minimumReleaseAge' });
  });
});

describe('secondsOf: the minimumReleaseAge values Bun 1.4 accepts', () => {
  const accepted: [unknown, number][] = [
    [259200, 259200],
    [0, 0],
    [1.5, 1.5],
    [BigInt(604800), 604800],
    ['259200', 259200],
    ['.5e3', 500],
    ['3d', 259200],
    ['3 days', 259200],
    ['72 hours', 259200],
    ['72hrs', 259200],
    ['30m', 1800],
    ['30 minutes', 1800],
    ['45s', 45],
    ['2w', 1209600],
    ['1.5 weeks', 907200],
  ];
  for (const [value, seconds] of accepted) {
    it(`reads ${typeof value === 'string' ? JSON.stringify(value) : String(value)} as ${seconds} seconds`, () => assert.equal(secondsOf(value), seconds));
  }
  // Each of these makes Bun stop with "Expected number of seconds for minimumReleaseAge".
  const refused: unknown[] = [-1, Infinity, NaN, '-5d', '1y', '1000ms', '3 Days', ' 3d', '3d ', '+3d', '1e10 s', '0x10', '1e400', true, [3], {}];
  for (const value of refused) {
    it(`refuses ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`, () => assert.equal(secondsOf(value), undefined));
  }
});

describe('readBunPolicy: problems', () => {
  it('reports invalid TOML at its line and column, and reads nothing from it', async () => {
    const text = '[install]\nminimumReleaseAge = = 3\n';
    assert.deepStrictEqual(await readBunPolicy(bunfig(text)), {
      manager: 'bun',
      scriptsBlockedByDefault: BLOCKED,
      errors: [
        {
          file: 'bunfig.toml',
          message: "bunfig.toml is not valid TOML (invalid value), so Bun's install settings in it were not read. Bun refuses it too; fix the file.",
          location: { file: 'bunfig.toml', offset: text.indexOf('= 3'), length: 0, line: 2, column: 21 },
        },
      ],
    });
  });

  it('ignores a minimumReleaseAge Bun refuses, and says why', async () => {
    for (const [value, shown] of [['-1', '-1'], ['"1y"', '"1y"'], ['true', 'true'], ['inf', 'Infinity'], ['[1]', 'an array']]) {
      const policy = await readBunPolicy(bunfig(`[install]\nminimumReleaseAge = ${value}\n`));
      assert.deepStrictEqual([policy.minReleaseAgeDays, policy.errors], [
        undefined,
        [{ file: 'bunfig.toml', message: `bunfig.toml install.minimumReleaseAge is ${shown}, not a number of seconds or a duration such as "3d"; Bun refuses it, and it was ignored.` }],
      ]);
    }
  });

  it('drops exclusions Bun would not honour (patterns, ranges, non-strings) and keeps names and exact versions', async () => {
    const policy = await readBunPolicy(bunfig('[install]\nminimumReleaseAgeExcludes = ["@types/*", "is-number@^7", 42, "left-pad", "nx@21.6.5 || 21.6.6"]\n'));
    assert.deepStrictEqual(policy.minReleaseAgeExclude, { value: ['left-pad', 'nx@21.6.5 || 21.6.6'], origin: 'bunfig.toml install.minimumReleaseAgeExcludes' });
    assert.deepStrictEqual(policy.errors, [
      { file: 'bunfig.toml', message: 'bunfig.toml install.minimumReleaseAgeExcludes entry "@types/*" is a pattern, but Bun matches exact package names only, so it exempts nothing; it was ignored.' },
      {
        file: 'bunfig.toml',
        message:
          'bunfig.toml install.minimumReleaseAgeExcludes entry "is-number@^7" is not a package name or exact versions (Bun accepts "name" or "name@1.2.3 || 1.2.4"), so it exempts nothing; it was ignored.',
      },
      { file: 'bunfig.toml', message: 'bunfig.toml install.minimumReleaseAgeExcludes holds 42, not a package name; it was ignored.' },
    ]);
    const notArray = await readBunPolicy(bunfig('[install]\nminimumReleaseAgeExcludes = "left-pad"\n'));
    assert.deepStrictEqual([notArray.minReleaseAgeExclude, notArray.errors], [
      undefined,
      [{ file: 'bunfig.toml', message: 'bunfig.toml install.minimumReleaseAgeExcludes is "left-pad", not an array of package names; Bun refuses it, and it was ignored.' }],
    ]);
  });

  it('approves only valid names from trustedDependencies, with `__proto__` refused as a name and no prototype touched', async () => {
    const text = '{ "trustedDependencies": ["esbuild", "../x", 3, "__proto__"] }';
    const policy = await readBunPolicy({ packageJson: { file: 'package.json', text } });
    const at = (needle: string) => locationOf('package.json', text, needle);
    assert.deepStrictEqual(policy.scriptApprovals, { value: { esbuild: true }, origin: 'package.json trustedDependencies' });
    assert.deepStrictEqual(policy.errors, [
      { file: 'package.json', message: 'package.json trustedDependencies holds "../x", which is not a package name; it was ignored.', location: at('"../x"') },
      { file: 'package.json', message: 'package.json trustedDependencies holds a number, which is not a package name; it was ignored.', location: at('3') },
      { file: 'package.json', message: 'package.json trustedDependencies holds "__proto__", which is not a package name; it was ignored.', location: at('"__proto__"') },
    ]);
    assert.equal(Object.getPrototypeOf(policy.scriptApprovals?.value), Object.prototype);
  });

  it('reports a package.json that is not valid JSON or whose trustedDependencies is not an array', async () => {
    const text = '{ "trustedDependencies": { "a": true }, "x": }';
    const policy = await readBunPolicy({ packageJson: { file: 'package.json', text } });
    assert.deepStrictEqual([policy.scriptApprovals, policy.errors], [
      undefined,
      [
        {
          file: 'package.json',
          message: 'package.json is not valid JSON (ValueExpected at line 1, column 46); trustedDependencies were read from what could be parsed.',
          location: { ...locationOf('package.json', text, '}', 44), length: 1 },
        },
        {
          file: 'package.json',
          message: 'package.json trustedDependencies is not an array of package names; Bun refuses it, and it was ignored.',
          location: { ...locationOf('package.json', text, '{ "a": true }'), length: 13 },
        },
      ],
    ]);
  });
});
