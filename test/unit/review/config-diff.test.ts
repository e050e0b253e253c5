import assert from 'node:assert/strict';
import { diffConfigs } from '../../../src/core/review/config-diff';
import { config } from './rules/helpers';

describe('review/config-diff', () => {
  it('lists every configuration difference, weakening or not', () => {
    const before = config({
      minReleaseAge: { days: 7, origin: 'apps/web/.npmrc min-release-age' },
      minReleaseAgeExclude: ['old-pkg'],
      allowScripts: { esbuild: true, sharp: false },
      allowScriptsOrigin: 'apps/web/package.json allowScripts',
      packageManager: 'npm@10.9.0',
      managerCode: {},
      pins: { 'package.json overrides': '{"a":"1.0.0"}' },
    });
    const after = config({
      minReleaseAge: { days: 14, origin: 'apps/web/.npmrc min-release-age' },
      minReleaseAgeExclude: ['@corp/*'],
      minReleaseAgeExcludeOrigin: 'apps/web/.npmrc min-release-age-exclude',
      allowScripts: { esbuild: true, sharp: true },
      allowScriptsOrigin: 'apps/web/package.json allowScripts',
      packageManager: 'npm@11.0.0',
      registryFile: 'apps/web/.npmrc',
      scopes: { '@corp': 'https://npm.corp.example/' },
      managerCode: { '.pnpmfile.cjs': 'abc' },
      pins: { 'package.json overrides': '{"a":"1.0.1"}', 'patches/a+1.0.1.patch': 'def' },
    });
    assert.deepStrictEqual(
      diffConfigs(before, after, 'apps/web').map((c) => [c.file, c.setting, c.before ?? null, c.after ?? null, c.weakens, c.message]),
      [
        ['apps/web/.npmrc', 'minimum release age', '7', '14', false, 'The minimum release age changes from 7 days to 14 days (apps/web/.npmrc min-release-age).'],
        ['apps/web/.npmrc', 'release-age exclusion', null, '@corp/*', true, 'Exempts @corp/* from the waiting period.'],
        ['apps/web/package.json', 'release-age exclusion', 'old-pkg', null, false, 'No longer exempts old-pkg from the waiting period.'],
        ['apps/web/package.json', 'install-script approval sharp', 'denied', 'approved', true, 'The change approves the install scripts of sharp.'],
        ['apps/web/.npmrc', '@corp:registry', null, 'https://npm.corp.example/', true, '@corp:registry changes from unset to https://npm.corp.example/.'],
        ['apps/web/package.json', 'packageManager', 'npm@10.9.0', 'npm@11.0.0', false, 'packageManager changes from npm@10.9.0 to npm@11.0.0.'],
        ['apps/web/.pnpmfile.cjs', 'package-manager code', null, null, false, '.pnpmfile.cjs is added: the package manager runs it.'],
        ['apps/web/package.json', 'package.json overrides', null, null, false, 'package.json overrides changes: it decides which code is installed.'],
        ['apps/web/patches/a+1.0.1.patch', 'patches/a+1.0.1.patch', null, null, false, 'patches/a+1.0.1.patch is added: it decides which code is installed.'],
      ],
    );
  });

  it('lists nothing when the configuration is the same', () => {
    assert.deepStrictEqual(diffConfigs(config(), config(), ''), []);
  });
});
