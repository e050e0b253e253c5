import assert from 'node:assert/strict';
import type { RawEntry } from '../../../src/core/lockfile/npm-entry';
import { createResolver } from '../../../src/core/lockfile/npm-resolve';

/** Minimal package entries at the given paths; only `key` and `kind` matter to resolution. */
function entriesAt(...keys: string[]): Map<string, RawEntry> {
  const keyNode = { type: 'string', offset: 0, length: 0 } as const;
  return new Map(
    keys.map((key) => [
      key,
      { key, keyNode, kind: key.includes('node_modules/') ? 'package' : 'folder', link: false, dev: false, optional: false, devOptional: false, peer: false, inBundle: false, dependencies: [], devDependencies: [] },
    ]),
  );
}

describe('createResolver', () => {
  const entries = entriesAt(
    'node_modules/c',
    'node_modules/@s/a',
    'node_modules/@s/a/node_modules/b',
    'node_modules/@s/a/node_modules/c',
    'node_modules/@s/node_modules/c',
    'packages/x',
    'packages/x/node_modules/c',
  );
  const resolve = createResolver(entries);

  it('finds the nearest node_modules/<name>, walking up from the requiring folder', () => {
    const cases: [string, string, string | undefined][] = [
      ['node_modules/@s/a/node_modules/b', 'c', 'node_modules/@s/a/node_modules/c'],
      ['node_modules/@s/a', 'c', 'node_modules/@s/a/node_modules/c'],
      ['node_modules/c', 'c', 'node_modules/c'],
      ['', 'c', 'node_modules/c'],
      ['packages/x', 'c', 'packages/x/node_modules/c'],
      ['packages/y', 'c', 'node_modules/c'],
      ['node_modules/@s/a/node_modules/b', '@s/a', 'node_modules/@s/a'],
      ['node_modules/c', 'missing', undefined],
    ];
    assert.deepStrictEqual(cases.map(([from, name]) => resolve(from, name)?.key), cases.map(([, , key]) => key));
  });

  it('looks in a scope folder, as node does, but never in a folder named node_modules', () => {
    // `node_modules/@s/node_modules/c` is where node would look from inside @s/a after @s/a itself.
    assert.equal(createResolver(entriesAt('node_modules/@s/a', 'node_modules/@s/node_modules/c'))('node_modules/@s/a', 'c')?.key, 'node_modules/@s/node_modules/c');
    assert.equal(createResolver(entriesAt('node_modules/a', 'node_modules/node_modules/node_modules/c'))('node_modules/a', 'c'), undefined);
  });

  it('resolves a folder outside the project only in its own tree, never in the project', () => {
    const outside = createResolver(entriesAt('node_modules/ms', '../lib/node_modules/debug'));
    assert.deepStrictEqual(
      [outside('../lib', 'debug')?.key, outside('../lib', 'ms'), outside('../lib/node_modules/debug', 'ms')],
      ['../lib/node_modules/debug', undefined, undefined],
    );
  });

  it('stays fast on thousands of deeply nested paths', () => {
    const keys: string[] = [];
    let key = '';
    for (let i = 0; i < 3000; i++) keys.push((key = `${key}${key ? '/' : ''}node_modules/p${i}`));
    const deep = createResolver(entriesAt(...keys));
    // Every lookup from every depth: quadratic string building would take minutes here.
    let found = 0;
    for (const from of keys) for (const name of ['p0', 'p1500', 'missing']) if (deep(from, name)) found++;
    // p0 from everywhere; p1500 from p1499 and below it.
    assert.equal(found, 3000 + 1501);
  });
});
