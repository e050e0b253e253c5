import assert from 'node:assert/strict';
import { describeBinaryBunLock, parseBunLock } from '../../../src/core/lockfile/bun';
import type { LockedPackage } from '../../../src/core/types';
import { bunKeyLocation, lockJson, readBunFixture, readWorkspace, registrySet } from './bun-fixtures';
import { locationOf, summarize } from './npm-fixtures';

const FILE = 'bun.lock';

function byKey(packages: readonly LockedPackage[], key: string): LockedPackage | undefined {
  return packages.find((p) => p.key === key);
}

/** The integrity string Bun wrote for a key: the last item of its entry. */
function integrityOf(text: string, key: string): string {
  const entry = lockJson(text).packages[key];
  return String(entry[entry.length - 1]);
}

describe('parseBunLock: each fixture locks exactly the registry packages Bun lists', () => {
  const cases: [string, number][] = [
    ['bun-app', 2],
    ['bun-workspaces', 2],
    ['bun-overrides', 3],
    ['bun-v1', 1],
    ['bun-v0', 0],
  ];
  for (const [name, version] of cases) {
    it(`${name} (lockfileVersion ${version}): the registry name@version set equals \`bun pm ls --all\`, with no errors`, async () => {
      const fixture = readBunFixture(name);
      const result = await parseBunLock(FILE, fixture.text);
      assert.deepStrictEqual([result.format, result.lockfileVersion, result.errors], ['bun', version, []]);
      assert.deepStrictEqual(registrySet(result.packages), fixture.expected);
    });
  }
});

describe('parseBunLock: a plain app (Bun 1.4.5, lockfileVersion 2)', () => {
  const fixture = readBunFixture('bun-app');
  const json = lockJson(fixture.text);
  const base = { dev: false, optional: false, peer: false, direct: false, source: 'registry', workspace: '' } as const;
  const registry = (key: string, name: string, version: string, extra: Partial<LockedPackage> = {}): LockedPackage => ({
    ...base,
    name,
    version,
    key,
    integrity: integrityOf(fixture.text, key),
    via: [name],
    location: bunKeyLocation(FILE, fixture.text, key),
    ...extra,
  });

  it('reads every key of "packages", in lockfile order', async () => {
    const result = await parseBunLock(FILE, fixture.text);
    assert.deepStrictEqual(result.packages.map((p) => p.key), Object.keys(json.packages));
    assert.deepStrictEqual(result.workspaces, []);
  });

  it('gives the whole tree its sources, flags and shortest chains', async () => {
    const result = await parseBunLock(FILE, fixture.text);
    const lines = result.packages.filter((p) => !p.key.startsWith('@parcel/watcher-')).map(summarize);
    assert.deepStrictEqual(lines, [
      '@parcel/watcher @parcel/watcher@2.5.1 registry [direct,script] via @parcel/watcher',
      'ansi-regex ansi-regex@5.0.1 registry via local-lib > ansi-regex',
      'anymatch anymatch@3.1.3 registry [dev] via chokidar > anymatch',
      'binary-extensions binary-extensions@2.3.0 registry [dev] via chokidar > is-binary-path > binary-extensions',
      // Also needed by micromatch under @parcel/watcher, so not dev-only.
      'braces braces@3.0.3 registry via chokidar > braces',
      'chokidar chokidar@3.6.0 registry [dev,direct] via chokidar',
      'debug debug@4.4.3 registry [direct] via debug',
      'detect-libc detect-libc@1.0.3 registry via @parcel/watcher > detect-libc',
      'emoji-regex emoji-regex@8.0.0 registry via string-width > emoji-regex',
      'fill-range fill-range@7.1.1 registry via chokidar > braces > fill-range',
      'fsevents fsevents@2.3.3 registry [dev,optional] via chokidar > fsevents',
      'glob-parent glob-parent@5.1.2 registry [dev] via chokidar > glob-parent',
      'is-binary-path is-binary-path@2.1.0 registry [dev] via chokidar > is-binary-path',
      'is-buffer is-buffer@1.1.6 registry via vend > is-even > is-odd > is-number > kind-of > is-buffer',
      'is-even is-even@1.0.0 registry via vend > is-even',
      'is-extglob is-extglob@2.1.1 registry via @parcel/watcher > is-glob > is-extglob',
      'is-fullwidth-code-point is-fullwidth-code-point@3.0.0 registry via string-width > is-fullwidth-code-point',
      'is-glob is-glob@4.0.3 registry via @parcel/watcher > is-glob',
      // Optional at the root, but also required by to-regex-range: neither omit flag applies.
      'is-number is-number@7.0.0 registry [direct] via is-number',
      'is-odd is-odd@0.1.2 registry via vend > is-even > is-odd',
      'kind-of kind-of@3.2.2 registry via vend > is-even > is-odd > is-number > kind-of',
      'local-lib local-lib@file:local-lib file [direct] via local-lib',
      'micromatch micromatch@4.0.8 registry via @parcel/watcher > micromatch',
      'ms ms@1.0.0 registry [direct] via ms',
      'ms-tarball ms@https://registry.npmjs.org/ms/-/ms-2.0.0.tgz url [direct] via ms',
      'node-addon-api node-addon-api@7.1.1 registry via @parcel/watcher > node-addon-api',
      'normalize-path normalize-path@3.0.0 registry [dev] via chokidar > normalize-path',
      'picomatch picomatch@2.3.2 registry via @parcel/watcher > micromatch > picomatch',
      'react react@19.3.1 registry [peer] via use-sync-external-store > react',
      'readdirp readdirp@3.6.0 registry [dev] via chokidar > readdirp',
      'str string-width@4.2.3 registry [direct] via string-width',
      'strip-ansi strip-ansi@6.0.1 registry via string-width > strip-ansi',
      'to-regex-range to-regex-range@5.0.1 registry via chokidar > braces > fill-range > to-regex-range',
      'use-sync-external-store use-sync-external-store@1.7.0 registry [direct] via use-sync-external-store',
      'vend vend@./vendor/vend-1.0.0.tgz file [direct] via vend',
      'debug/ms ms@2.1.3 registry via debug > ms',
      'is-odd/is-number is-number@3.0.0 registry via vend > is-even > is-odd > is-number',
    ]);
    const platform = result.packages.filter((p) => p.key.startsWith('@parcel/watcher-'));
    assert.equal(platform.length, 13);
    for (const p of platform) assert.deepStrictEqual([p.optional, p.dev, p.direct, p.via], [true, false, false, ['@parcel/watcher', p.name]]);
  });

  it('names an npm: alias by its registry name, keeps the alias in the key, and records Bun 1.4.5\'s install-script flag', async () => {
    const result = await parseBunLock(FILE, fixture.text);
    assert.deepStrictEqual(
      ['str', '@parcel/watcher', 'react', 'fsevents', 'debug/ms'].map((k) => byKey(result.packages, k)),
      [
        registry('str', 'string-width', '4.2.3', { direct: true }),
        registry('@parcel/watcher', '@parcel/watcher', '2.5.1', { direct: true, hasInstallScript: true }),
        registry('react', 'react', '19.3.1', { peer: true, via: ['use-sync-external-store', 'react'] }),
        registry('fsevents', 'fsevents', '2.3.3', { dev: true, optional: true, via: ['chokidar', 'fsevents'] }),
        // A nested key: the second ms, needed by debug while the root has ms@1.0.0.
        registry('debug/ms', 'ms', '2.1.3', { via: ['debug', 'ms'] }),
      ],
    );
  });

  it('keeps folder, local tarball and remote tarball dependencies with their sources', async () => {
    const result = await parseBunLock(FILE, fixture.text);
    const local = (key: string, extra: Partial<LockedPackage>): LockedPackage => ({
      ...base,
      key,
      name: key,
      version: '',
      direct: true,
      via: [key],
      location: bunKeyLocation(FILE, fixture.text, key),
      ...extra,
    });
    assert.deepStrictEqual(
      ['local-lib', 'vend', 'ms-tarball'].map((k) => byKey(result.packages, k)),
      [
        local('local-lib', { version: 'file:local-lib', resolved: 'local-lib', source: 'file' }),
        local('vend', { version: './vendor/vend-1.0.0.tgz', resolved: './vendor/vend-1.0.0.tgz', integrity: integrityOf(fixture.text, 'vend'), source: 'file' }),
        local('ms-tarball', {
          name: 'ms',
          version: 'https://registry.npmjs.org/ms/-/ms-2.0.0.tgz',
          resolved: 'https://registry.npmjs.org/ms/-/ms-2.0.0.tgz',
          integrity: integrityOf(fixture.text, 'ms-tarball'),
          source: 'url',
          via: ['ms'],
        }),
      ],
    );
  });

  it('locates every entry at its key string in the text', async () => {
    const result = await parseBunLock(FILE, fixture.text);
    for (const p of result.packages) {
      assert.deepStrictEqual(p.location, bunKeyLocation(FILE, fixture.text, p.key));
      assert.equal(fixture.text.slice(p.location.offset, p.location.offset + p.location.length), JSON.stringify(p.key));
    }
  });

  it('reports no hasInstallScript where Bun recorded none (its absence proves nothing)', async () => {
    const result = await parseBunLock(FILE, fixture.text);
    assert.deepStrictEqual(result.packages.filter((p) => p.hasInstallScript !== undefined).map((p) => p.key), ['@parcel/watcher']);
  });
});

describe('parseBunLock: workspaces (lockfileVersion 2, and the same project in lockfileVersion 0)', () => {
  const TREE = [
    // Bun links every workspace into the root's node_modules, as npm does.
    '@fx/a @fx/a@1.0.0 workspace [direct] via @fx/a',
    '@fx/b @fx/b@2.0.0 workspace [direct] via @fx/b',
    'debug debug@4.4.3 registry [direct] via debug',
    'is-number is-number@7.0.0 registry [dev,direct] via is-number',
    'is-odd is-odd@3.0.1 registry [direct] via is-odd in packages/b',
    'ms ms@1.0.0 registry [direct] via ms in packages/a',
    'react react@19.3.1 registry [peer,direct] via react in packages/a',
    // Resolved from `<workspace name>/is-number` before the root's is-number.
    '@fx/b/is-number is-number@6.0.0 registry [dev,direct] via is-number in packages/b',
    'debug/ms ms@2.1.3 registry via debug > ms',
    'is-odd/is-number is-number@6.0.0 registry via is-odd > is-number in packages/b',
  ];

  it('credits each workspace for its dependencies and lists the workspace folders', async () => {
    const fixture = readBunFixture('bun-workspaces');
    const result = await parseBunLock(FILE, fixture.text);
    assert.deepStrictEqual([result.workspaces, result.errors], [['packages/a', 'packages/b'], []]);
    assert.deepStrictEqual(result.packages.map(summarize), TREE);
    assert.deepStrictEqual(byKey(result.packages, '@fx/b'), {
      name: '@fx/b',
      version: '2.0.0',
      key: '@fx/b',
      resolved: 'packages/b',
      dev: false,
      optional: false,
      peer: false,
      direct: true,
      source: 'workspace',
      via: ['@fx/b'],
      workspace: '',
      location: bunKeyLocation(FILE, fixture.text, '@fx/b'),
    });
    assert.deepStrictEqual(byKey(result.packages, '@fx/b/is-number'), {
      name: 'is-number',
      version: '6.0.0',
      key: '@fx/b/is-number',
      integrity: integrityOf(fixture.text, '@fx/b/is-number'),
      dev: true,
      optional: false,
      peer: false,
      direct: true,
      source: 'registry',
      via: ['is-number'],
      workspace: 'packages/b',
      location: bunKeyLocation(FILE, fixture.text, '@fx/b/is-number'),
    });
  });

  it('reads lockfileVersion 0, which also lists workspace dependencies in the package entries, to the same tree', async () => {
    const fixture = readBunFixture('bun-v0');
    const result = await parseBunLock(FILE, fixture.text);
    assert.deepStrictEqual([result.lockfileVersion, result.workspaces, result.errors], [0, ['packages/a', 'packages/b'], []]);
    assert.deepStrictEqual(result.packages.map(summarize), TREE);
  });

  it('reports nothing when package.json files match the lockfile, and names a dependency bun.lock lacks', async () => {
    const fixture = readBunFixture('bun-workspaces');
    const importers = [fixture.root, readWorkspace('bun-workspaces', 'packages/a'), readWorkspace('bun-workspaces', 'packages/b')];
    assert.deepStrictEqual((await parseBunLock(FILE, fixture.text, importers)).errors, []);
    const added = { ...importers[2], dependencies: { ...importers[2].dependencies, 'left-pad': '^1.3.0' } };
    const result = await parseBunLock(FILE, fixture.text, [importers[0], importers[1], added]);
    const at = { ...locationOf(FILE, fixture.text, '"packages/b": {'), length: '"packages/b"'.length };
    assert.deepStrictEqual(result.errors, [
      {
        file: FILE,
        message:
          'bun.lock is out of date: packages/b/package.json declares "left-pad", which bun.lock does not lock; Bun will resolve it afresh on the next install. Run `bun install --lockfile-only` to rewrite it.',
        location: at,
      },
    ]);
  });
});

describe('parseBunLock: lockfileVersion 1 (Bun 1.2) and 3 (scoped overrides)', () => {
  it('v1 gives the same tree as the v2 app, less the tarball dependencies and the install-script flag', async () => {
    const v2 = await parseBunLock(FILE, readBunFixture('bun-app').text);
    const v1 = await parseBunLock(FILE, readBunFixture('bun-v1').text);
    const tarballs = new Set(['ms-tarball', 'vend', 'is-even', 'is-odd', 'is-odd/is-number', 'kind-of', 'is-buffer']);
    const expected = v2.packages.filter((p) => !tarballs.has(p.key)).map(summarize).map((line) => line.replace('[direct,script]', '[direct]'));
    assert.deepStrictEqual([...v1.packages.map(summarize)].sort(), [...expected].sort());
    assert.ok(v1.packages.every((p) => p.hasInstallScript === undefined));
  });

  it('v3 reads the packages that scoped overrides chose', async () => {
    const result = await parseBunLock(FILE, readBunFixture('bun-overrides').text);
    assert.deepStrictEqual(result.packages.map(summarize), [
      'debug debug@4.4.3 registry [direct] via debug',
      'is-number is-number@6.0.0 registry via is-odd > is-number',
      'is-odd is-odd@3.0.1 registry [direct] via is-odd',
      'ms ms@2.1.2 registry via debug > ms',
    ]);
  });
});

describe('parseBunLock: git, GitHub, link and custom-registry entries (shapes from Bun\'s writer)', () => {
  const text = `{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "dependencies": { "uws": "uNetworking/uWebSockets.js#v20.51.0", "gitdep": "git+https://example.com/g.git", "linked": "link:linked", "ms": "^2", "@corp/x": "^1" },
    },
  },
  "packages": {
    "uws": ["uWebSockets.js@github:uNetworking/uWebSockets.js#6609a88", {}, "uNetworking-uWebSockets.js-6609a88"],
    "gitdep": ["gitdep@git+https://example.com/g.git#0123abc", { "dependencies": { "ms": "^2" } }, "0123abc", "sha512-Zm9v"],
    "linked": ["linked@link:linked", {}],
    "ms": ["ms@2.1.3", "", {}, "sha512-bXM="],
    "@corp/x": ["@corp/x@1.0.0", "https://npm.corp.example/@corp/x/-/x-1.0.0.tgz", {}, "sha512-eA=="],
  }
}`;

  it('classifies each entry and keeps its resolution, resolved spec and integrity', async () => {
    const result = await parseBunLock(FILE, text);
    assert.deepStrictEqual(result.errors, []);
    const picked = result.packages.map(({ key, name, version, resolved, integrity, source, via }) => ({ key, name, version, resolved, integrity, source, via }));
    assert.deepStrictEqual(picked, [
      { key: 'uws', name: 'uWebSockets.js', version: 'github:uNetworking/uWebSockets.js#6609a88', resolved: 'github:uNetworking/uWebSockets.js#6609a88', integrity: undefined, source: 'git', via: ['uWebSockets.js'] },
      { key: 'gitdep', name: 'gitdep', version: 'git+https://example.com/g.git#0123abc', resolved: 'git+https://example.com/g.git#0123abc', integrity: 'sha512-Zm9v', source: 'git', via: ['gitdep'] },
      { key: 'linked', name: 'linked', version: 'link:linked', resolved: 'linked', integrity: undefined, source: 'link', via: ['linked'] },
      { key: 'ms', name: 'ms', version: '2.1.3', resolved: undefined, integrity: 'sha512-bXM=', source: 'registry', via: ['ms'] },
      { key: '@corp/x', name: '@corp/x', version: '1.0.0', resolved: 'https://npm.corp.example/@corp/x/-/x-1.0.0.tgz', integrity: 'sha512-eA==', source: 'registry', via: ['@corp/x'] },
    ]);
  });
});

describe('describeBinaryBunLock', () => {
  it('says bun.lockb is not read and gives the command that writes bun.lock', () => {
    assert.deepStrictEqual(describeBinaryBunLock('app/bun.lockb'), {
      file: 'app/bun.lockb',
      message:
        "bun.lockb is Bun's binary lockfile, which Dependency Risk does not read, so the locked versions were not checked. Convert it to the text lockfile with `bun install --save-text-lockfile --frozen-lockfile --lockfile-only` (Bun 1.2 or later), commit the new bun.lock and delete bun.lockb.",
    });
  });
});

describe('parseBunLock: package.json files the lockfile does not cover', () => {
  it('names a workspace that bun.lock has no entry for', async () => {
    const fixture = readBunFixture('bun-workspaces');
    const result = await parseBunLock(FILE, fixture.text, [fixture.root, { path: 'packages/c', name: '@fx/c', dependencies: { ms: '^2' } }]);
    assert.deepStrictEqual(result.errors, [
      { file: FILE, message: 'bun.lock has no entry for the workspace "packages/c" in "workspaces", so its dependencies are not locked; run `bun install --lockfile-only` to rewrite it.' },
    ]);
  });
});
