import assert from 'node:assert/strict';
import { classifySpec, isValidPackageName } from '../../src/core/spec';

describe('classifySpec', () => {
  const cases: [string, string, ReturnType<typeof classifySpec>][] = [
    ['a', '^1.2.3', { source: 'registry', registryName: 'a', range: '^1.2.3' }],
    ['a', '1.2.3', { source: 'registry', registryName: 'a', range: '1.2.3' }],
    ['a', '', { source: 'registry', registryName: 'a', range: '*' }],
    ['a', 'latest', { source: 'registry', registryName: 'a', range: 'latest' }],
    ['a', '>=1 <2 || 3.x', { source: 'registry', registryName: 'a', range: '>=1 <2 || 3.x' }],
    ['str', 'npm:string-width@^4', { source: 'registry', registryName: 'string-width', range: '^4' }],
    ['s', 'npm:@scope/pkg@1.0.0', { source: 'registry', registryName: '@scope/pkg', range: '1.0.0' }],
    ['s', 'npm:@scope/pkg', { source: 'registry', registryName: '@scope/pkg', range: '*' }],
    ['s', 'npm:../evil@1', { source: 'invalid', registryName: 's' }],
    ['a', 'github:user/repo', { source: 'git', registryName: 'a' }],
    ['a', 'user/repo#v1', { source: 'git', registryName: 'a' }],
    ['a', 'git+ssh://git@github.com/u/r.git', { source: 'git', registryName: 'a' }],
    ['a', 'git@github.com:u/r.git', { source: 'git', registryName: 'a' }],
    ['a', 'https://github.com/u/r.git', { source: 'git', registryName: 'a' }],
    ['a', 'https://example.com/a-1.0.0.tgz', { source: 'url', registryName: 'a' }],
    ['a', 'file:../a', { source: 'file', registryName: 'a' }],
    ['a', './vendor/a', { source: 'file', registryName: 'a' }],
    ['a', 'link:../a', { source: 'link', registryName: 'a' }],
    ['a', 'workspace:^', { source: 'workspace', registryName: 'a' }],
    ['a', 'not a range!', { source: 'invalid', registryName: 'a' }],
  ];
  for (const [name, spec, expected] of cases) {
    it(`classifies ${JSON.stringify(spec)}`, () => assert.deepStrictEqual(classifySpec(name, spec), expected));
  }
});

describe('isValidPackageName', () => {
  it('accepts plain and scoped names', () => {
    assert.equal(isValidPackageName('lodash'), true);
    assert.equal(isValidPackageName('@types/node'), true);
    assert.equal(isValidPackageName('left-pad.js'), true);
  });
  it('rejects traversal, empty, spaces and over-long names', () => {
    for (const bad of ['', '../x', 'a/../../b', '@scope/../x', 'a b', '@/x', 'x'.repeat(215), '__proto__/x']) {
      assert.equal(isValidPackageName(bad), false, bad);
    }
  });
});
