import assert from 'node:assert/strict';
import { parseManifest } from '../../../src/core/manifest';
import { indexRanges, rangesFor } from '../../../src/core/review/ranges';
import { entry } from './rules/helpers';

const manifest = (text: object, path = '') => {
  const json = JSON.stringify(text);
  return { path, manifest: parseManifest(path === '' ? 'package.json' : `${path}/package.json`, json), text: json };
};

describe('review/ranges', () => {
  it('collects the ranges of manifests (aliases by target) and of every npm lockfile entry', () => {
    const lock = JSON.stringify({
      packages: {
        '': { dependencies: { a: '^1.0.0' } },
        'node_modules/a': { version: '1.2.0', dependencies: { b: '~2.0.0', c: 'npm:real-c@^3' } },
        'node_modules/b': { version: '2.0.1' },
      },
    });
    const index = indexRanges('npm', lock, [manifest({ dependencies: { a: '^1.0.0', alias: 'npm:b@2.0.1' } })]);
    assert.deepStrictEqual(
      [rangesFor(index, entry('a', '1.2.0'), 'a'), rangesFor(index, entry('b', '2.0.1', { direct: false }), 'b'), rangesFor(index, undefined, 'real-c'), rangesFor(index, undefined, 'none')],
      [['^1.0.0', '^1.0.0'], ['2.0.1', '~2.0.0'], ['^3'], undefined],
    );
  });

  it('reads npm v1 requires, Bun info objects, and Yarn descriptors from the entry key', () => {
    const v1 = indexRanges('npm', JSON.stringify({ dependencies: { a: { version: '1.0.0', requires: { b: '^2' }, dependencies: { c: { version: '1.0.0', requires: { d: '1.x' } } } } } }), []);
    const bun = indexRanges('bun', '{ "workspaces": { "": { "dependencies": { "a": "^1" } } }, "packages": { "a": ["a@1.0.0", "", { "dependencies": { "b": "^2", }, }, "sha512-x"], }, }', []);
    const yarn = indexRanges('yarn-berry', undefined, []);
    assert.deepStrictEqual(
      [rangesFor(v1, undefined, 'b'), rangesFor(v1, undefined, 'd'), rangesFor(bun, undefined, 'a'), rangesFor(bun, undefined, 'b'), rangesFor(yarn, entry('a', '1.0.0', { key: 'a@npm:^1.0.0, a@npm:~1.2.0' }), 'a')],
      [['^2'], ['1.x'], ['^1'], ['^2'], ['^1.0.0', '~1.2.0']],
    );
  });

  it('knows nothing of pnpm transitive ranges, nor of names pinned by resolutions or pnpm.overrides', () => {
    const pnpm = indexRanges('pnpm', 'lockfileVersion: 9.0', [manifest({ dependencies: { a: '^1' }, resolutions: { '**/b': '2.0.0' }, pnpm: { overrides: { 'x>@s/c@1': '3.0.0' } } })]);
    assert.deepStrictEqual(
      [rangesFor(pnpm, entry('a', '1.0.0'), 'a'), rangesFor(pnpm, entry('z', '1.0.0', { direct: false }), 'z'), rangesFor(pnpm, entry('b', '2.0.0'), 'b'), rangesFor(pnpm, entry('@s/c', '3.0.0'), '@s/c')],
      [['^1'], undefined, undefined, undefined],
    );
  });
});
