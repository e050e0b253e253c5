import assert from 'node:assert/strict';
import { buildPolicy, isIgnored } from '../../src/core/policy';

describe('buildPolicy', () => {
  it('uses defaults when nothing is configured', () => {
    const { policy, errors } = buildPolicy({}, {});
    assert.deepStrictEqual(errors, []);
    assert.deepStrictEqual(policy, {
      minReleaseAgeDays: 7,
      minReleaseAgeExclude: [],
      allowScripts: {},
      severities: {},
      include: ['prod', 'dev', 'optional', 'peer'],
      ignore: [],
      origins: { minReleaseAgeDays: 'default' },
    });
  });

  it('takes the project min-release-age and excludes, and lets the user flag win', () => {
    const project = {
      minReleaseAge: { value: '3', origin: '.npmrc min-release-age' },
      minReleaseAgeExclude: { value: ['@myorg/*'], origin: '.npmrc min-release-age-exclude' },
      allowScripts: { esbuild: true },
    };
    const fromProject = buildPolicy(project, {}).policy;
    assert.equal(fromProject.minReleaseAgeDays, 3);
    assert.deepStrictEqual(fromProject.minReleaseAgeExclude, ['@myorg/*']);
    assert.deepStrictEqual(fromProject.origins, { minReleaseAgeDays: '.npmrc min-release-age', minReleaseAgeExclude: '.npmrc min-release-age-exclude', allowScripts: 'package.json allowScripts' });
    assert.equal(buildPolicy(project, { minReleaseAgeDays: 14 }).policy.minReleaseAgeDays, 14);
    const ignored = buildPolicy(project, { followProjectPolicy: false }).policy;
    assert.equal(ignored.minReleaseAgeDays, 7);
    assert.deepStrictEqual(ignored.allowScripts, {});
  });

  it('reports an unreadable min-release-age and keeps the default', () => {
    const { policy, errors } = buildPolicy({ minReleaseAge: { value: 'soon', origin: '/p/.npmrc min-release-age' } }, {});
    assert.equal(policy.minReleaseAgeDays, 7);
    assert.deepStrictEqual(errors, [{ file: '/p/.npmrc', message: '/p/.npmrc min-release-age must be a number of days; found "soon". Using 7 days.' }]);
  });
});

describe('isIgnored', () => {
  const { policy } = buildPolicy({}, { ignore: ['fresh-release:chalk@5.6.1', 'deprecated:request', 'left-pad@1.0.0'] });
  const cases: [string, string, string, boolean][] = [
    ['fresh-release', 'chalk', '5.6.1', true],
    ['fresh-release', 'chalk', '5.6.2', false],
    ['publisher-changed', 'chalk', '5.6.1', false],
    ['deprecated', 'request', '2.88.2', true],
    ['fresh-release', 'left-pad', '1.0.0', true],
    ['fresh-release', 'left-pad', '1.0.1', false],
  ];
  for (const [rule, name, version, expected] of cases) {
    it(`${expected ? 'ignores' : 'keeps'} ${rule}:${name}@${version}`, () => assert.equal(isIgnored(policy, rule, name, version), expected));
  }
});
