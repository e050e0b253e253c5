import assert from 'node:assert/strict';
import type { Layout, Resolution } from '../../../src/core/lockfile/pnpm-keys';
import { joinPath, packageKeyOf, parseKey, resolveRef, sourceOfResolution } from '../../../src/core/lockfile/pnpm-keys';
import type { SpecSource } from '../../../src/core/types';

describe('pnpm lockfile keys', () => {
  const keys: [Layout, string, { name: string; version: string } | undefined][] = [
    ['v9', 'react-dom@18.3.1(react@18.3.1)', { name: 'react-dom', version: '18.3.1' }],
    ['v9', '@esbuild/linux-x64@0.25.12', { name: '@esbuild/linux-x64', version: '0.25.12' }],
    ['v9', 'is-number@7.0.0(patch_hash=553a306c)', { name: 'is-number', version: '7.0.0' }],
    ['v9', 'a@1.0.0-rc.1(b@2.0.0(c@3.0.0))(patch_hash=x)', { name: 'a', version: '1.0.0-rc.1' }],
    ['v9', 'file-lib@file:file-lib', { name: 'file-lib', version: 'file:file-lib' }],
    ['v9', 'no-version', undefined],
    ['v9', '@scope-only', undefined],
    ['v6', '/react-dom@18.3.1(react@18.3.1)', { name: 'react-dom', version: '18.3.1' }],
    ['v6', '/@babel/core@7.0.0', { name: '@babel/core', version: '7.0.0' }],
    ['v6', 'file:file-lib', undefined],
    ['v6', 'react@18.3.1', undefined],
    ['v5', '/react-dom/18.3.1_react@18.3.1', { name: 'react-dom', version: '18.3.1' }],
    ['v5', '/@babel/core/7.0.0_abc', { name: '@babel/core', version: '7.0.0' }],
    ['v5', '/is-number/7.0.0_ntv6k645uff44fpx2535h6bgbe', { name: 'is-number', version: '7.0.0' }],
    ['v5', '/a/b/c/1.0.0', undefined],
    ['v5', 'file:file-lib', undefined],
    ['v5', 'registry.example.com/a/1.0.0', undefined],
  ];
  for (const [layout, key, expected] of keys) {
    it(`parses ${layout} key ${JSON.stringify(key)}`, () => assert.deepStrictEqual(parseKey(key, layout), expected));
  }

  it('strips peer and patch suffixes from 9.0 snapshot keys to find their `packages` entry', () => {
    assert.deepStrictEqual(
      ['react-dom@18.3.1(react@18.3.1)', '@s/a@1.0.0(@s/b@2.0.0)', 'ms@2.1.3', 'file-lib@file:file-lib'].map(packageKeyOf),
      ['react-dom@18.3.1', '@s/a@1.0.0', 'ms@2.1.3', 'file-lib@file:file-lib'],
    );
  });

  it('resolves references as pnpm does: composed keys, alias keys, folders and links', () => {
    const has = (keys: string[]) => (key: string) => keys.includes(key);
    assert.deepStrictEqual(
      [
        resolveRef(has(['ms@2.1.3']), 'v9', 'ms', '2.1.3'),
        resolveRef(has(['string-width@4.2.3']), 'v9', 'str', 'string-width@4.2.3'),
        resolveRef(has(['/string-width@4.2.3']), 'v6', 'str', '/string-width@4.2.3'),
        resolveRef(has(['/string-width/4.2.3']), 'v5', 'str', '/string-width/4.2.3'),
        resolveRef(has(['/react-dom/18.3.1_react@18.3.1']), 'v5', 'react-dom', '18.3.1_react@18.3.1'),
        resolveRef(has(['file:lib']), 'v6', 'lib', 'file:lib'),
        resolveRef(has([]), 'v9', 'a', 'link:../a'),
        resolveRef(has([]), 'v9', 'ms', '2.1.3'),
      ],
      [
        { key: 'ms@2.1.3' },
        { key: 'string-width@4.2.3' },
        { key: '/string-width@4.2.3' },
        { key: '/string-width/4.2.3' },
        { key: '/react-dom/18.3.1_react@18.3.1' },
        { key: 'file:lib' },
        { link: '../a' },
        undefined,
      ],
    );
  });

  it('joins link paths to importer paths', () => {
    assert.deepStrictEqual(
      [joinPath('', 'packages/b'), joinPath('packages/b', '../a'), joinPath('', './local-lib'), joinPath('', '../outside'), joinPath('a', '../../x')],
      ['packages/b', 'packages/a', 'local-lib', '../outside', '../x'],
    );
  });

  const sources: [Resolution, string, SpecSource][] = [
    [{ integrity: 'sha512-x' }, '1.2.3', 'registry'],
    [{ integrity: 'sha512-x' }, 'file:x', 'invalid'],
    [{ integrity: 'sha512-x', tarball: 'https://npm.example.com/a/-/a-1.2.3.tgz' }, '1.2.3', 'registry'],
    [{ tarball: 'https://example.com/downloads/a.tgz' }, '1.2.3', 'url'],
    [{ tarball: 'https://codeload.github.com/u/r/tar.gz/0123abc' }, '1.2.3', 'git'],
    [{ tarball: 'file:vendor/a-1.2.3.tgz' }, '1.2.3', 'file'],
    [{ directory: 'packages/a', type: 'directory' }, 'file:packages/a', 'file'],
    [{ type: 'git', repo: 'https://github.com/u/r.git', commit: '0123abc' }, '1.2.3', 'git'],
    [{ type: 'variations' }, 'runtime:22.0.0', 'url'],
    [{}, '1.2.3', 'registry'],
  ];
  for (const [resolution, version, expected] of sources) {
    it(`classifies ${JSON.stringify(resolution)} (${version}) as ${expected}`, () => assert.equal(sourceOfResolution(resolution, version), expected));
  }
});
