/** The package managers' policy readers (pnpm-workspace.yaml, .yarnrc.yml, bunfig.toml, package.json) on random and hostile files (issue 7). */

import assert from 'node:assert/strict';
import { readBunPolicy } from '../../../src/core/lockfile/bun-policy';
import { readPnpmPolicy } from '../../../src/core/lockfile/pnpm-policy';
import type { ManagerPolicy } from '../../../src/core/lockfile/types';
import { readYarnPolicy } from '../../../src/core/lockfile/yarn-policy';
import { assertNoPollution, assertPlainData, checkAsync, fc, fixtureTexts, hostileString, mutated, prototypeSnapshot, timedAsync } from '../../support/property';

const line = (keys: readonly string[], separator: string) =>
  fc.tuple(fc.oneof(fc.constantFrom(...keys), hostileString), fc.oneof(hostileString, fc.constantFrom('true', 'false', '1d', '1440', '-5', '1e400', '[]', '{}', '"__proto__"', '*a', '&a x', '${HOME}', '${constructor}'))).map(([k, v]) => `${k}${separator}${v}`);

const pnpmKeys = ['minimumReleaseAge', 'minimumReleaseAgeExclude', 'trustPolicy', 'onlyBuiltDependencies', 'ignoredBuiltDependencies', 'neverBuiltDependencies', 'allowBuilds', 'dangerouslyAllowAllBuilds', 'packages', '__proto__'];
const yarnKeys = ['npmMinimalAgeGate', 'npmPreapprovedPackages', 'enableScripts', 'npmRegistryServer', '__proto__'];
const bunKeys = ['[install]', 'minimumReleaseAge', 'minimumReleaseAgeExcludes', 'registry', '[install.scopes]', '__proto__'];

const yamlFile = (keys: readonly string[], fixtures: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.array(fc.oneof(line(keys, ': '), line(keys, ':\n  - '), fc.constantFrom('a: &a [x, x]\nb: [*a, *a]', '<<: *a', '---', '!!js/function x', '\t- x')), { maxLength: 8 }).map((lines) => lines.join('\n')),
    ...(fixtures.length > 0 ? [mutated(fc.constantFrom(...fixtures), 4)] : []),
  );

const packageJson = fc.oneof(
  fc.constantFrom('{}', '{"pnpm": {"onlyBuiltDependencies": ["__proto__", "constructor"]}}', '{"trustedDependencies": ["__proto__", 5, null]}', '{"dependenciesMeta": {"__proto__": {"built": true}}}', '{"packageManager": "yarn@4.15.0"}', '[', ''),
  fc.dictionary(fc.oneof(fc.constantFrom('pnpm', 'trustedDependencies', 'dependenciesMeta', 'packageManager'), hostileString), fc.jsonValue({ maxDepth: 3 })).map((v) => JSON.stringify(v)),
);

function assertSoundPolicy(policy: ManagerPolicy): void {
  assertPlainData(policy);
  assert.ok(policy.errors.length <= 200, `${policy.errors.length} errors`);
  // Messages quote values as written (a lone surrogate from a Windows environment stays one); the CLI neutralises them.
  for (const e of policy.errors) assert.equal(typeof e.message, 'string');
  const days = policy.minReleaseAgeDays?.value;
  if (days !== undefined) assert.ok(Number.isFinite(days) && days >= 0, String(days));
}

describe('package-manager policy readers: property tests (issue 7)', () => {
  const prototypes = prototypeSnapshot();
  after(() => assertNoPollution(prototypes));
  const workspaceYamls = fixtureTexts('lockfiles', (f) => f === 'pnpm-workspace.yaml').map((f) => f.text);
  const bunfigs = fixtureTexts('lockfiles', (f) => f === 'bunfig.toml').map((f) => f.text);

  it('readPnpmPolicy never throws on random and mutated pnpm-workspace.yaml and package.json', async () => {
    await checkAsync(
      fc.asyncProperty(yamlFile(pnpmKeys, workspaceYamls), packageJson, async (yaml, json) => {
        assertSoundPolicy(await timedAsync('readPnpmPolicy', () => readPnpmPolicy({ workspaceYaml: { file: 'pnpm-workspace.yaml', text: yaml }, packageJson: { file: 'package.json', text: json } })));
      }),
      80,
    );
  });

  it('readYarnPolicy never throws on random .yarnrc.yml, package.json and environment', async () => {
    const env = fc.dictionary(fc.oneof(fc.constantFrom('YARN_NPM_MINIMAL_AGE_GATE', 'YARN_ENABLE_SCRIPTS', 'HOME'), hostileString), hostileString, { maxKeys: 3 });
    await checkAsync(
      fc.asyncProperty(yamlFile(yarnKeys, []), packageJson, env, async (yaml, json, variables) => {
        assertSoundPolicy(await timedAsync('readYarnPolicy', () => readYarnPolicy({ yarnrc: { file: '.yarnrc.yml', text: yaml }, packageJson: { file: 'package.json', text: json }, env: variables })));
      }),
      80,
    );
  });

  it('readBunPolicy never throws on random and mutated bunfig.toml and package.json', async () => {
    const toml = fc.oneof(
      fc.array(fc.oneof(line(bunKeys, ' = '), fc.constantFrom('[install]', '[[install]]', 'a = """', "b = '''x", 'c = {d = {e = {f = 1}}}', `g = ${'['.repeat(200)}`)), { maxLength: 8 }).map((lines) => lines.join('\n')),
      mutated(fc.constantFrom(...bunfigs), 4),
    );
    await checkAsync(
      fc.asyncProperty(toml, packageJson, async (bunfig, json) => {
        assertSoundPolicy(await timedAsync('readBunPolicy', () => readBunPolicy({ bunfig: { file: 'bunfig.toml', text: bunfig }, packageJson: { file: 'package.json', text: json } })));
      }),
      80,
    );
  });
});
