import assert from 'node:assert/strict';
import { parseYarnLock } from '../../../src/core/lockfile/yarn';
import type { LockedPackage } from '../../../src/core/types';
import { summarize } from './npm-fixtures';
import { classicView, entryLocation, readYarnFixture, sorted } from './yarn-fixtures';

const FILE = 'yarn.lock';
const ESBUILD_PLATFORMS = [
  'aix-ppc64', 'android-arm', 'android-arm64', 'android-x64', 'darwin-arm64', 'darwin-x64', 'freebsd-arm64', 'freebsd-x64',
  'linux-arm', 'linux-arm64', 'linux-ia32', 'linux-loong64', 'linux-mips64el', 'linux-ppc64', 'linux-riscv64', 'linux-s390x',
  'linux-x64', 'netbsd-arm64', 'netbsd-x64', 'openbsd-arm64', 'openbsd-x64', 'openharmony-arm64', 'sunos-x64', 'win32-arm64',
  'win32-ia32', 'win32-x64',
];

/** The classic-app tree without esbuild's 26 platform packages (checked on their own below). */
const APP_TREE = [
  'ansi-regex@^5.0.1 ansi-regex@5.0.1 registry via local-lib > ansi-regex',
  'anymatch@~3.1.2 anymatch@3.1.3 registry [dev] via chokidar > anymatch',
  'binary-extensions@^2.0.0 binary-extensions@2.3.0 registry [dev] via chokidar > is-binary-path > binary-extensions',
  'braces@~3.0.2 braces@3.0.3 registry [dev] via chokidar > braces',
  'chokidar@^3.6.0 chokidar@3.6.0 registry [dev,direct] via chokidar',
  'debug@^4.4.0 debug@4.4.3 registry [direct] via debug',
  'emoji-regex@^8.0.0 emoji-regex@8.0.0 registry via string-width > emoji-regex',
  'esbuild@0.25.12 esbuild@0.25.12 registry [direct] via esbuild',
  'fill-range@^7.1.1 fill-range@7.1.1 registry [dev] via chokidar > braces > fill-range',
  'fsevents@~2.3.2 fsevents@2.3.3 registry [dev,optional] via chokidar > fsevents',
  'glob-parent@~5.1.2 glob-parent@5.1.2 registry [dev] via chokidar > glob-parent',
  'is-binary-path@~2.1.0 is-binary-path@2.1.0 registry [dev] via chokidar > is-binary-path',
  'is-extglob@^2.1.1 is-extglob@2.1.1 registry [dev] via chokidar > is-glob > is-extglob',
  'is-fullwidth-code-point@^3.0.0 is-fullwidth-code-point@3.0.0 registry via string-width > is-fullwidth-code-point',
  'is-glob@^4.0.1, is-glob@~4.0.1 is-glob@4.0.3 registry [dev] via chokidar > is-glob',
  // Optional at the root and required by the dev tree: kept by --production and by --ignore-optional alone.
  'is-number@^7.0.0 is-number@7.0.0 registry [direct] via is-number',
  'local-lib@file:./local-lib local-lib@0.1.0 file [direct] via local-lib',
  'ms@1.0.0 ms@1.0.0 registry [direct] via ms',
  'ms@^2.1.3 ms@2.1.3 registry via debug > ms',
  'normalize-path@^3.0.0, normalize-path@~3.0.0 normalize-path@3.0.0 registry [dev] via chokidar > normalize-path',
  'picomatch@^2.0.4, picomatch@^2.2.1 picomatch@2.3.2 registry [dev] via chokidar > anymatch > picomatch',
  'react@^19.0.0 react@19.3.1 registry [direct] via react',
  'readdirp@~3.6.0 readdirp@3.6.0 registry [dev] via chokidar > readdirp',
  // Classic keeps the alias and the plain range as two entries (two installed copies).
  'str@npm:string-width@^4.2.3 string-width@4.2.3 registry [direct] via string-width',
  'string-width@^4.2.0 string-width@4.2.3 registry [dev,direct] via string-width',
  'strip-ansi@^6.0.1 strip-ansi@6.0.1 registry via string-width > strip-ansi',
  'to-regex-range@^5.0.1 to-regex-range@5.0.1 registry [dev] via chokidar > braces > fill-range > to-regex-range',
  'use-sync-external-store@^1.5.0 use-sync-external-store@1.7.0 registry [direct] via use-sync-external-store',
];

function byKey(packages: readonly LockedPackage[], key: string): LockedPackage | undefined {
  return packages.find((p) => p.key === key);
}

describe('parseYarnLock: Yarn classic (yarn-classic-app, written by yarn 1.22.22)', () => {
  const fixture = readYarnFixture('yarn-classic-app');
  let result: Awaited<ReturnType<typeof parseYarnLock>>;
  before(async () => {
    result = await parseYarnLock(FILE, fixture.text, fixture.importers);
  });
  const base = { dev: false, optional: false, peer: false, direct: false, source: 'registry', workspace: '' } as const;

  it('locks exactly the registry packages that `yarn list` reported after the install', () => {
    const locked = sorted(result.packages.filter((p) => p.source === 'registry').map((p) => `${p.name}@${p.version}`));
    assert.deepStrictEqual(locked, classicView('yarn-classic-app', fixture));
  });

  it('reads the whole tree: names, sources, flags from package.json and shortest chains, with no errors', () => {
    assert.deepStrictEqual(
      { file: result.file, format: result.format, lockfileVersion: result.lockfileVersion, workspaces: result.workspaces, errors: result.errors },
      { file: FILE, format: 'yarn-classic', lockfileVersion: 1, workspaces: [], errors: [] },
    );
    assert.deepStrictEqual(result.packages.filter((p) => !p.name.startsWith('@esbuild/')).map(summarize), APP_TREE);
    assert.deepStrictEqual(
      result.packages.filter((p) => p.name.startsWith('@esbuild/')).map(summarize).sort(),
      ESBUILD_PLATFORMS.map((p) => `@esbuild/${p}@0.25.12 @esbuild/${p}@0.25.12 registry [optional] via esbuild > @esbuild/${p}`).sort(),
    );
  });

  it('gives whole packages: an alias by its registry name, a nested range, a file: folder, dev+optional', () => {
    const tarball = (name: string, version: string) => `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`;
    assert.deepStrictEqual(
      ['str@npm:string-width@^4.2.3', 'ms@^2.1.3', 'local-lib@file:./local-lib', 'fsevents@~2.3.2'].map((k) => byKey(result.packages, k)),
      [
        {
          ...base,
          name: 'string-width',
          version: '4.2.3',
          key: 'str@npm:string-width@^4.2.3',
          // The `#<sha1>` classic appends to the URL is not part of it.
          resolved: tarball('string-width', '4.2.3'),
          integrity: 'sha512-wKyQRQpjJ0sIp62ErSZdGsjMJWsap5oRNihHhu6G7JVO/9jIB6UyevL+tXuOqrng8j/cxKTWyWUwvSTriiZz/g==',
          direct: true,
          via: ['string-width'],
          location: entryLocation(FILE, fixture.text, '"str@npm:string-width@^4.2.3"'),
        },
        {
          ...base,
          name: 'ms',
          version: '2.1.3',
          key: 'ms@^2.1.3',
          resolved: tarball('ms', '2.1.3'),
          integrity: 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==',
          via: ['debug', 'ms'],
          location: entryLocation(FILE, fixture.text, 'ms@^2.1.3'),
        },
        {
          ...base,
          name: 'local-lib',
          version: '0.1.0',
          key: 'local-lib@file:./local-lib',
          source: 'file',
          direct: true,
          via: ['local-lib'],
          location: entryLocation(FILE, fixture.text, '"local-lib@file:./local-lib"'),
        },
        {
          ...base,
          name: 'fsevents',
          version: '2.3.3',
          key: 'fsevents@~2.3.2',
          resolved: tarball('fsevents', '2.3.3'),
          integrity: 'sha512-5xoDfX+fL7faATnagmWPpbFtwh/R77WmMMqqHGS65C3vvB0YHrgF+B1YmZ3441tMj5n63k0212XNoJwzlhffQw==',
          dev: true,
          optional: true,
          via: ['chokidar', 'fsevents'],
          location: entryLocation(FILE, fixture.text, 'fsevents@~2.3.2'),
        },
      ],
    );
  });

  it('records no install-script flag: classic lockfiles do not say (esbuild has a postinstall)', () => {
    assert.equal(byKey(result.packages, 'esbuild@0.25.12')?.hasInstallScript, undefined);
    assert.ok(result.packages.every((p) => !('hasInstallScript' in p)));
  });

  it('locates every entry at its key as written, quotes included', () => {
    for (const p of result.packages) {
      assert.ok(p.location);
      const written = fixture.text.slice(p.location.offset, p.location.offset + p.location.length);
      assert.deepStrictEqual(p.location, entryLocation(FILE, fixture.text, written));
      assert.equal(written.replace(/"/g, ''), p.key);
    }
  });

  it('without package.json takes the packages nothing requires as direct, knows no dev, and still knows optional edges', async () => {
    const bare = await parseYarnLock(FILE, fixture.text);
    assert.deepStrictEqual(bare.errors, []);
    assert.deepStrictEqual(
      bare.packages.filter((p) => p.direct).map((p) => p.key),
      ['chokidar@^3.6.0', 'debug@^4.4.0', 'esbuild@0.25.12', 'local-lib@file:./local-lib', 'ms@1.0.0', 'react@^19.0.0', 'str@npm:string-width@^4.2.3', 'string-width@^4.2.0', 'use-sync-external-store@^1.5.0'],
    );
    assert.ok(bare.packages.every((p) => !p.dev));
    assert.deepStrictEqual(
      bare.packages.filter((p) => p.optional).map((p) => p.name).sort(),
      [...ESBUILD_PLATFORMS.map((p) => `@esbuild/${p}`), 'fsevents'].sort(),
    );
    // The same packages either way.
    assert.deepStrictEqual(bare.packages.map((p) => `${p.key} ${p.name}@${p.version}`), result.packages.map((p) => `${p.key} ${p.name}@${p.version}`));
  });
});

describe('parseYarnLock: Yarn classic workspaces (yarn-classic-workspaces)', () => {
  const fixture = readYarnFixture('yarn-classic-workspaces', ['packages/a', 'packages/b']);
  let result: Awaited<ReturnType<typeof parseYarnLock>>;
  before(async () => {
    result = await parseYarnLock(FILE, fixture.text, fixture.importers);
  });

  it('locks exactly the registry packages that `yarn list` reported after the install', () => {
    const locked = sorted(result.packages.filter((p) => p.source === 'registry').map((p) => `${p.name}@${p.version}`));
    assert.deepStrictEqual(locked, classicView('yarn-classic-workspaces', fixture));
  });

  it('takes workspaces and their direct dependencies from the manifests, which the lockfile does not record', () => {
    assert.deepStrictEqual([result.workspaces, result.errors], [['packages/a', 'packages/b'], []]);
    assert.deepStrictEqual(result.packages.map(summarize), [
      'debug@^4.4.0 debug@4.4.3 registry [direct] via debug in packages/b',
      'is-number@^6.0.0 is-number@6.0.0 registry [dev] via is-odd > is-number in packages/b',
      'is-number@^7.0.0 is-number@7.0.0 registry [dev,direct] via is-number',
      'is-odd@^3.0.1 is-odd@3.0.1 registry [dev,direct] via is-odd in packages/b',
      // Needed by packages/a directly and by debug in packages/b: the direct declaration wins.
      'ms@^2.1.3 ms@2.1.3 registry [direct] via ms in packages/a',
    ]);
  });
});
