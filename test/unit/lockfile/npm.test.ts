import assert from 'node:assert/strict';
import { parseNpmLock } from '../../../src/core/lockfile/npm';
import type { LockedPackage } from '../../../src/core/types';
import { keyLocation, readFixture, summarize, withoutLocations } from './npm-fixtures';

const FILE = 'package-lock.json';

/** The tree every `tree-v*` fixture locks, as lockfile v3 records it. */
const TREE = [
  'node_modules/ansi-regex ansi-regex@5.0.1 registry via local-lib > ansi-regex',
  'node_modules/anymatch anymatch@3.1.3 registry [dev] via chokidar > anymatch',
  'node_modules/binary-extensions binary-extensions@2.3.0 registry [dev] via chokidar > is-binary-path > binary-extensions',
  'node_modules/braces braces@3.0.3 registry [dev] via chokidar > braces',
  'node_modules/chokidar chokidar@3.6.0 registry [dev,direct] via chokidar',
  'node_modules/core-js core-js@3.51.0 registry [direct,script] via core-js',
  'node_modules/debug debug@4.4.3 registry [direct] via debug',
  'node_modules/debug/node_modules/ms ms@2.1.3 registry via debug > ms',
  'node_modules/emoji-regex emoji-regex@8.0.0 registry via string-width > emoji-regex',
  'node_modules/fill-range fill-range@7.1.1 registry [dev] via chokidar > braces > fill-range',
  'node_modules/fsevents fsevents@2.3.3 registry [dev,optional] via chokidar > fsevents',
  'node_modules/glob-parent glob-parent@5.1.2 registry [dev] via chokidar > glob-parent',
  'node_modules/is-binary-path is-binary-path@2.1.0 registry [dev] via chokidar > is-binary-path',
  'node_modules/is-extglob is-extglob@2.1.1 registry [dev] via chokidar > is-glob > is-extglob',
  'node_modules/is-fullwidth-code-point is-fullwidth-code-point@3.0.0 registry via string-width > is-fullwidth-code-point',
  'node_modules/is-glob is-glob@4.0.3 registry [dev] via chokidar > is-glob',
  'node_modules/is-number is-number@7.0.0 registry [direct] via is-number',
  'node_modules/local-lib local-lib@0.1.0 link [direct] via local-lib',
  'node_modules/ms ms@1.0.0 registry [direct] via ms',
  'node_modules/normalize-path normalize-path@3.0.0 registry [dev] via chokidar > normalize-path',
  'node_modules/picomatch picomatch@2.3.2 registry [dev] via chokidar > anymatch > picomatch',
  'node_modules/react react@19.3.1 registry [peer] via use-sync-external-store > react',
  'node_modules/readdirp readdirp@3.6.0 registry [dev] via chokidar > readdirp',
  'node_modules/str string-width@4.2.3 registry [direct] via string-width',
  'node_modules/strip-ansi strip-ansi@6.0.1 registry via string-width > strip-ansi',
  'node_modules/to-regex-range to-regex-range@5.0.1 registry [dev] via chokidar > braces > fill-range > to-regex-range',
  'node_modules/use-sync-external-store use-sync-external-store@1.7.0 registry [direct] via use-sync-external-store',
];

function byKey(packages: readonly LockedPackage[], key: string): LockedPackage | undefined {
  return packages.find((p) => p.key === key);
}

describe('parseNpmLock: lockfile v3 (npm 11 default)', () => {
  const fixture = readFixture('tree-v3');
  const result = parseNpmLock(FILE, fixture.text, fixture.manifest);
  const registry = (key: string) => ({ resolved: fixture.json.packages?.[key]?.resolved, integrity: fixture.json.packages?.[key]?.integrity });
  const base = { dev: false, optional: false, peer: false, direct: false, hasInstallScript: false, source: 'registry', workspace: '' } as const;

  it('reads the whole tree: names, versions, sources, flags and shortest chains, with no errors', () => {
    assert.deepStrictEqual(
      { lockfileVersion: result.lockfileVersion, format: result.format, file: result.file, workspaces: result.workspaces, errors: result.errors },
      { lockfileVersion: 3, format: 'npm', file: FILE, workspaces: [], errors: [] },
    );
    assert.deepStrictEqual(result.packages.map(summarize), TREE);
  });

  it('names an npm: alias by its registry name and keeps the alias in the key', () => {
    const key = 'node_modules/str';
    assert.deepStrictEqual(byKey(result.packages, key), {
      ...base,
      name: 'string-width',
      version: '4.2.3',
      key,
      ...registry(key),
      direct: true,
      via: ['string-width'],
      location: keyLocation(FILE, fixture.text, key),
    });
  });

  it('records hasInstallScript, dev+optional, devOptional (neither flag), peer and nested packages', () => {
    const expected = (key: string, name: string, version: string, extra: Partial<LockedPackage>): LockedPackage => ({
      ...base,
      name,
      version,
      key,
      ...registry(key),
      via: [name],
      location: keyLocation(FILE, fixture.text, key),
      ...extra,
    });
    const keys = ['node_modules/core-js', 'node_modules/fsevents', 'node_modules/is-number', 'node_modules/react', 'node_modules/debug/node_modules/ms'];
    assert.deepStrictEqual(
      keys.map((k) => byKey(result.packages, k)),
      [
        expected('node_modules/core-js', 'core-js', '3.51.0', { direct: true, hasInstallScript: true }),
        expected('node_modules/fsevents', 'fsevents', '2.3.3', { dev: true, optional: true, via: ['chokidar', 'fsevents'] }),
        // `devOptional`: kept by --omit=dev alone and by --omit=optional alone, so neither flag is set.
        expected('node_modules/is-number', 'is-number', '7.0.0', { direct: true }),
        expected('node_modules/react', 'react', '19.3.1', { peer: true, via: ['use-sync-external-store', 'react'] }),
        expected('node_modules/debug/node_modules/ms', 'ms', '2.1.3', { via: ['debug', 'ms'] }),
      ],
    );
  });

  it('keeps a file: folder dependency as a link with its folder version, and leaves the folder out', () => {
    const key = 'node_modules/local-lib';
    assert.deepStrictEqual(byKey(result.packages, key), {
      ...base,
      name: 'local-lib',
      version: '0.1.0',
      key,
      resolved: 'local-lib',
      source: 'link',
      direct: true,
      via: ['local-lib'],
      location: keyLocation(FILE, fixture.text, key),
    });
    assert.equal(byKey(result.packages, 'local-lib'), undefined);
    assert.equal(byKey(result.packages, ''), undefined);
  });

  it('locates every entry at its key string in the text', () => {
    for (const p of result.packages) {
      assert.ok(p.location);
      assert.equal(fixture.text.slice(p.location.offset, p.location.offset + p.location.length), JSON.stringify(p.key));
      assert.deepStrictEqual(p.location, keyLocation(FILE, fixture.text, p.key));
    }
  });
});

describe('parseNpmLock: lockfile v2 and v1 hold the same tree', () => {
  const v3 = parseNpmLock(FILE, readFixture('tree-v3').text);

  it('v2 reads from "packages" exactly as v3 does (the v1 "dependencies" copy is not used)', () => {
    const fixture = readFixture('tree-v2');
    const result = parseNpmLock(FILE, fixture.text, fixture.manifest);
    assert.deepStrictEqual([result.lockfileVersion, result.errors, result.workspaces], [2, [], []]);
    assert.deepStrictEqual(withoutLocations(result.packages), withoutLocations(v3.packages));
    for (const p of result.packages) assert.deepStrictEqual(p.location, keyLocation(FILE, fixture.text, p.key));
  });

  it('v2 without "packages" falls back to its v1 tree and gives the v1 result', () => {
    const fixture = readFixture('tree-v2');
    const stripped = fixture.text.replace('"packages": {', '"ignored": {');
    const v1 = parseNpmLock(FILE, readFixture('tree-v1').text, fixture.manifest);
    assert.deepStrictEqual(withoutLocations(parseNpmLock(FILE, stripped, fixture.manifest).packages), withoutLocations(v1.packages));
  });

  it('v1 (with package.json) gives the same names, versions, flags, direct and chains', () => {
    const fixture = readFixture('tree-v1');
    const result = parseNpmLock(FILE, fixture.text, fixture.manifest);
    assert.deepStrictEqual([result.lockfileVersion, result.errors, result.workspaces], [1, [], []]);
    // v1 keeps no install-script flag, no peer edges (`requires` omits peers, so react's parent is
    // unknown) and no folder version (the link's version is its spec).
    const expected = TREE.map((line) =>
      line
        .replace(',script]', ']')
        .replace('[peer] via use-sync-external-store > react', '[peer] via react')
        .replace('local-lib@0.1.0', 'local-lib@file:local-lib'),
    );
    assert.deepStrictEqual(result.packages.map(summarize), expected);
    assert.ok(result.packages.every((p) => p.hasInstallScript === undefined));
  });

  it('v1 locates entries at their dependency-name keys, nested ones inside their parent', () => {
    const fixture = readFixture('tree-v1');
    const result = parseNpmLock(FILE, fixture.text, fixture.manifest);
    const debug = keyLocation(FILE, fixture.text, 'debug');
    assert.deepStrictEqual(byKey(result.packages, 'node_modules/debug/node_modules/ms')?.location, keyLocation(FILE, fixture.text, 'ms', debug.offset));
    assert.deepStrictEqual(byKey(result.packages, 'node_modules/str'), {
      name: 'string-width',
      version: '4.2.3',
      key: 'node_modules/str',
      resolved: 'https://registry.npmjs.org/string-width/-/string-width-4.2.3.tgz',
      integrity: 'sha512-wKyQRQpjJ0sIp62ErSZdGsjMJWsap5oRNihHhu6G7JVO/9jIB6UyevL+tXuOqrng8j/cxKTWyWUwvSTriiZz/g==',
      dev: false,
      optional: false,
      peer: false,
      direct: true,
      source: 'registry',
      via: ['string-width'],
      workspace: '',
      location: keyLocation(FILE, fixture.text, 'str'),
    });
    for (const p of result.packages) {
      assert.ok(p.location);
      assert.equal(fixture.text.slice(p.location.offset, p.location.offset + p.location.length), JSON.stringify(p.key.split('node_modules/').pop()));
    }
  });

  it('v1 without package.json takes the top-level packages nothing requires as direct', () => {
    const result = parseNpmLock(FILE, readFixture('tree-v1').text);
    // is-number is declared by the root but also required by to-regex-range, so it is missed; react is
    // only a peer (v1 records no peer edges), so it is taken as direct. Passing package.json avoids both.
    assert.deepStrictEqual(
      result.packages.filter((p) => p.direct).map((p) => p.key),
      ['chokidar', 'core-js', 'debug', 'local-lib', 'ms', 'react', 'str', 'use-sync-external-store'].map((n) => `node_modules/${n}`),
    );
  });

  it('v3 uses its own root entry and ignores a package.json that disagrees', () => {
    const fixture = readFixture('tree-v3');
    const result = parseNpmLock(FILE, fixture.text, { dependencies: { react: '^19' } });
    assert.deepStrictEqual(result.packages.map(summarize), TREE);
  });
});

describe('parseNpmLock: workspaces', () => {
  const fixture = readFixture('workspaces');
  const result = parseNpmLock(FILE, fixture.text, fixture.manifest);

  it('lists workspace paths, keeps their links as workspace sources, and credits each workspace for its dependencies', () => {
    assert.deepStrictEqual([result.lockfileVersion, result.errors, result.workspaces], [3, [], ['packages/a', 'packages/b']]);
    assert.deepStrictEqual(result.packages.map(summarize), [
      // npm links every workspace into the root's node_modules, as if the root depended on it.
      'node_modules/@fx/a @fx/a@1.0.0 workspace [direct] via @fx/a',
      'node_modules/@fx/b @fx/b@1.0.0 workspace [direct] via @fx/b',
      'node_modules/debug debug@4.4.3 registry [direct] via debug',
      'node_modules/is-number is-number@7.0.0 registry [dev,direct] via is-number in packages/b',
      'node_modules/is-odd is-odd@3.0.1 registry [direct] via is-odd in packages/b',
      'node_modules/is-odd/node_modules/is-number is-number@6.0.0 registry via is-odd > is-number in packages/b',
      'node_modules/ms ms@2.1.3 registry via debug > ms',
      'packages/a/node_modules/ms ms@1.0.0 registry [direct] via ms in packages/a',
    ]);
  });

  it('resolves a workspace dependency from the workspace folder before the root', () => {
    const key = 'packages/a/node_modules/ms';
    assert.deepStrictEqual(byKey(result.packages, key), {
      name: 'ms',
      version: '1.0.0',
      key,
      resolved: fixture.json.packages?.[key]?.resolved,
      integrity: fixture.json.packages?.[key]?.integrity,
      hasInstallScript: false,
      dev: false,
      optional: false,
      peer: false,
      direct: true,
      source: 'registry',
      via: ['ms'],
      workspace: 'packages/a',
      location: keyLocation(FILE, fixture.text, key),
    });
  });
});

describe('parseNpmLock: npm-shrinkwrap.json', () => {
  it('reads a shrinkwrap whose registry entries have no resolved URL as registry packages', () => {
    const file = 'app/npm-shrinkwrap.json';
    const fixture = readFixture('shrinkwrap', 'npm-shrinkwrap.json');
    const entry = (key: string, name: string, version: string, integrity: string, extra: Partial<LockedPackage>): LockedPackage => ({
      name,
      version,
      key,
      integrity,
      hasInstallScript: false,
      dev: false,
      optional: false,
      peer: false,
      direct: false,
      source: 'registry',
      via: [name],
      workspace: '',
      location: keyLocation(file, fixture.text, key),
      ...extra,
    });
    assert.deepStrictEqual(parseNpmLock(file, fixture.text), {
      file,
      format: 'npm',
      lockfileVersion: 3,
      packages: [
        entry('node_modules/debug', 'debug', '4.4.3', 'sha512-RGwwWnwQvkVfavKVt22FGLw+xYSdzARwm0ru6DhTVA3umU5hZc28V3kO4stgYryrTlLpuvgI9GiijltAjNbcqA==', { direct: true }),
        entry('node_modules/is-number', 'is-number', '7.0.0', 'sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==', { direct: true, dev: true }),
        entry('node_modules/ms', 'ms', '2.1.3', 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==', { via: ['debug', 'ms'] }),
      ],
      workspaces: [],
      errors: [],
    });
  });
});
