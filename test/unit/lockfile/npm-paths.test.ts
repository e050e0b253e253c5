import assert from 'node:assert/strict';
import { createWorkspaceMatcher, isSafeRelativePath, nameFromPath } from '../../../src/core/lockfile/npm-paths';

describe('npm lockfile paths', () => {
  it('names the package installed at a path, scoped or not, and nothing for folders', () => {
    const cases: [string, string | undefined][] = [
      ['node_modules/a', 'a'],
      ['node_modules/a/node_modules/@s/b', '@s/b'],
      ['packages/a/node_modules/ms', 'ms'],
      ['packages/a', undefined],
      ['node_modules/@s', undefined],
      ['node_modules', undefined],
      ['', undefined],
    ];
    assert.deepStrictEqual(cases.map(([path]) => nameFromPath(path)), cases.map(([, name]) => name));
  });

  it('accepts only relative forward-slash paths without empty, "." or ".." segments', () => {
    const good = ['node_modules/a', 'packages/a/node_modules/@s/b'];
    const bad = ['', '/etc/passwd', 'node_modules/../../x', 'node_modules//a', './node_modules/a', 'C:/x', 'node_modules\\a', 'a\0b'];
    assert.deepStrictEqual([...good, ...bad].map(isSafeRelativePath), [...good.map(() => true), ...bad.map(() => false)]);
  });

  it('matches workspace folders against npm workspace patterns', () => {
    const cases: [string, string[], boolean][] = [
      ['packages/a', ['packages/*'], true],
      ['packages/a/b', ['packages/*'], false],
      ['packages/a/b', ['packages/**'], true],
      ['apps/web', ['./apps/web/'], true],
      ['tools/x', ['packages/*', 'tools/?'], true],
      ['packages.a', ['packages/*'], false],
      ['a/packages/b', ['**/packages/*'], true],
      ['packages/b', ['**/packages/*'], true],
      ['packages/web-app', ['packages/web-*'], true],
      ['packages/api', ['packages/web-*'], false],
      ['a/b/c/d', ['**/**/d'], true],
      ['packages/a', [], false],
    ];
    assert.deepStrictEqual(cases.map(([path, patterns]) => createWorkspaceMatcher(patterns)(path)), cases.map(([, , expected]) => expected));
  });

  it('matches crafted patterns against long paths without catastrophic backtracking', () => {
    const isWorkspace = createWorkspaceMatcher([`${'*a'.repeat(100)}b`, `${'**/'.repeat(80)}x`]);
    const long = `${'a'.repeat(4000)}`;
    const deep = Array.from({ length: 1000 }, () => 'a').join('/');
    assert.deepStrictEqual([isWorkspace(long), isWorkspace(deep), isWorkspace(`${deep}/x`)], [false, false, true]);
  });
});
