import assert from 'node:assert/strict';
import { parseYarnLock } from '../../../src/core/lockfile/yarn';
import type { LockedPackage } from '../../../src/core/types';
import { summarize } from './npm-fixtures';
import { berryView, entryLocation, readYarnFixture, sorted } from './yarn-fixtures';

const FILE = 'yarn.lock';

/** The berry-app tree without esbuild's 26 platform packages (checked on their own below). */
const APP_TREE = [
  '@isaacs/fs-minipass@npm:^4.0.0 @isaacs/fs-minipass@4.0.1 registry [dev,optional] via chokidar > fsevents > node-gyp > tar > @isaacs/fs-minipass',
  'abbrev@npm:^5.0.0 abbrev@5.0.0 registry [dev,optional] via chokidar > fsevents > node-gyp > nopt > abbrev',
  'ansi-regex@npm:^5.0.1 ansi-regex@5.0.1 registry via local-lib > ansi-regex',
  'anymatch@npm:~3.1.2 anymatch@3.1.3 registry [dev] via chokidar > anymatch',
  'binary-extensions@npm:^2.0.0 binary-extensions@2.3.0 registry [dev] via chokidar > is-binary-path > binary-extensions',
  'braces@npm:~3.0.2 braces@3.0.3 registry [dev] via chokidar > braces',
  'chokidar@npm:^3.6.0 chokidar@3.6.0 registry [dev,direct] via chokidar',
  'chownr@npm:^3.0.0 chownr@3.0.0 registry [dev,optional] via chokidar > fsevents > node-gyp > tar > chownr',
  'debug@npm:^4.4.0 debug@4.4.3 registry [direct] via debug',
  'emoji-regex@npm:^8.0.0 emoji-regex@8.0.0 registry via string-width > emoji-regex',
  'env-paths@npm:^2.2.0 env-paths@2.2.1 registry [dev,optional] via chokidar > fsevents > node-gyp > env-paths',
  'esbuild@npm:0.25.12 esbuild@0.25.12 registry [direct] via esbuild',
  'exponential-backoff@npm:^3.1.1 exponential-backoff@3.1.3 registry [dev,optional] via chokidar > fsevents > node-gyp > exponential-backoff',
  'fdir@npm:^6.5.0 fdir@6.5.0 registry [dev,optional] via chokidar > fsevents > node-gyp > tinyglobby > fdir',
  'fill-range@npm:^7.1.1 fill-range@7.1.1 registry [dev] via chokidar > braces > fill-range',
  // Yarn patches fsevents itself (a builtin compat patch): the registry package and the patched one are both locked.
  'fsevents@npm:~2.3.2 fsevents@2.3.3 registry [dev,optional] via chokidar > fsevents',
  'fsevents@patch:fsevents@npm%3A~2.3.2#optional!builtin<compat/fsevents> fsevents@2.3.3 registry [dev,optional] via chokidar > fsevents',
  'glob-parent@npm:~5.1.2 glob-parent@5.1.2 registry [dev] via chokidar > glob-parent',
  'graceful-fs@npm:^4.2.6 graceful-fs@4.2.12 registry [dev,optional] via chokidar > fsevents > node-gyp > graceful-fs',
  'is-binary-path@npm:~2.1.0 is-binary-path@2.1.0 registry [dev] via chokidar > is-binary-path',
  'is-extglob@npm:^2.1.1 is-extglob@2.1.1 registry [dev] via chokidar > is-glob > is-extglob',
  'is-fullwidth-code-point@npm:^3.0.0 is-fullwidth-code-point@3.0.0 registry via string-width > is-fullwidth-code-point',
  'is-glob@npm:^4.0.1, is-glob@npm:~4.0.1 is-glob@4.0.3 registry [dev] via chokidar > is-glob',
  'is-number@npm:^6.0.0 is-number@6.0.0 registry via portal-lib > is-odd > is-number',
  'is-number@npm:^7.0.0 is-number@7.0.0 registry [direct] via is-number',
  'is-odd@npm:^3.0.1 is-odd@3.0.1 registry via portal-lib > is-odd',
  'isexe@npm:^4.0.0 isexe@4.0.0 registry [dev,optional] via chokidar > fsevents > node-gyp > which > isexe',
  'linked-lib@link:./linked-lib::locator=berry-app%40workspace%3A. linked-lib@0.0.0-use.local link [direct] via linked-lib',
  'local-lib@file:./local-lib::locator=berry-app%40workspace%3A. local-lib@0.1.0 file [direct] via local-lib',
  'minipass@npm:^7.0.4, minipass@npm:^7.1.2 minipass@7.1.3 registry [dev,optional] via chokidar > fsevents > node-gyp > tar > minipass',
  'minizlib@npm:^3.1.0 minizlib@3.1.0 registry [dev,optional] via chokidar > fsevents > node-gyp > tar > minizlib',
  'ms@npm:1.0.0 ms@1.0.0 registry [direct] via ms',
  // debug asks for ms@npm:^2.1.3, which package.json's `resolutions` sends to the patch of ms@2.1.3.
  'ms@npm:2.1.3 ms@2.1.3 registry via debug > ms',
  'ms@patch:ms@npm%3A2.1.3#./patches/ms.patch::locator=berry-app%40workspace%3A. ms@2.1.3 registry via debug > ms',
  'node-gyp@npm:latest node-gyp@13.1.0 registry [dev,optional] via chokidar > fsevents > node-gyp',
  'nopt@npm:^10.0.0 nopt@10.0.1 registry [dev,optional] via chokidar > fsevents > node-gyp > nopt',
  'normalize-path@npm:^3.0.0, normalize-path@npm:~3.0.0 normalize-path@3.0.0 registry [dev] via chokidar > normalize-path',
  'picomatch@npm:^2.0.4, picomatch@npm:^2.2.1 picomatch@2.3.2 registry [dev] via chokidar > anymatch > picomatch',
  'picomatch@npm:^4.0.4 picomatch@4.0.7 registry [dev,optional] via chokidar > fsevents > node-gyp > tinyglobby > picomatch',
  'portal-lib@portal:./portal-lib::locator=berry-app%40workspace%3A. portal-lib@0.0.0-use.local link [direct] via portal-lib',
  'proc-log@npm:^7.0.0 proc-log@7.0.0 registry [dev,optional] via chokidar > fsevents > node-gyp > proc-log',
  'react@npm:^19.0.0 react@19.3.1 registry [direct] via react',
  'readdirp@npm:~3.6.0 readdirp@3.6.0 registry [dev] via chokidar > readdirp',
  'semver@npm:^7.3.5 semver@7.8.6 registry [dev,optional] via chokidar > fsevents > node-gyp > semver',
  // Berry merges the alias and the plain range into one entry (one package).
  'str@npm:string-width@^4.2.3, string-width@npm:^4.2.0 string-width@4.2.3 registry [direct] via string-width',
  'strip-ansi@npm:^6.0.1 strip-ansi@6.0.1 registry via string-width > strip-ansi',
  'tar@npm:^7.5.7 tar@7.5.23 registry [dev,optional] via chokidar > fsevents > node-gyp > tar',
  'tinyglobby@npm:^0.2.12 tinyglobby@0.2.17 registry [dev,optional] via chokidar > fsevents > node-gyp > tinyglobby',
  'to-regex-range@npm:^5.0.1 to-regex-range@5.0.1 registry [dev] via chokidar > braces > fill-range > to-regex-range',
  'undici@npm:^8.4.1 undici@8.13.1 registry [dev,optional] via chokidar > fsevents > node-gyp > undici',
  'use-sync-external-store@npm:^1.5.0 use-sync-external-store@1.7.0 registry [direct] via use-sync-external-store',
  'which@npm:^7.0.0 which@7.0.0 registry [dev,optional] via chokidar > fsevents > node-gyp > which',
  'yallist@npm:^5.0.0 yallist@5.0.0 registry [dev,optional] via chokidar > fsevents > node-gyp > tar > yallist',
];

function byKey(packages: readonly LockedPackage[], key: string): LockedPackage | undefined {
  return packages.find((p) => p.key === key);
}

/** The `checksum:` line of an entry, read from the text without the parser. */
function checksumOf(text: string, rawKey: string): string {
  const entry = text.slice(text.indexOf(`\n${rawKey}:\n`));
  const match = /\n {2}checksum: (\S+)/.exec(entry.slice(0, entry.indexOf('\n\n')));
  if (!match) throw new Error(`no checksum for ${rawKey}`);
  return match[1];
}

function registrySet(packages: readonly LockedPackage[]): string[] {
  return sorted(packages.filter((p) => p.source === 'registry').map((p) => `${p.name}@${p.version}`));
}

describe('parseYarnLock: Yarn Berry (yarn-berry-app, written by Yarn 4.18.1, __metadata version 10)', () => {
  const fixture = readYarnFixture('yarn-berry-app');
  let result: Awaited<ReturnType<typeof parseYarnLock>>;
  before(async () => {
    result = await parseYarnLock(FILE, fixture.text, fixture.importers);
  });
  const base = { dev: false, optional: false, peer: false, direct: false, source: 'registry', workspace: '' } as const;
  const at = (rawKey: string) => entryLocation(FILE, fixture.text, rawKey);

  it('locks exactly the registry packages `yarn info --all --recursive` lists', () => {
    assert.deepStrictEqual(registrySet(result.packages), berryView('yarn-berry-app'));
  });

  it('reads the whole tree, with dev flags from package.json and optional ones from dependenciesMeta, and no errors', () => {
    assert.deepStrictEqual(
      { file: result.file, format: result.format, lockfileVersion: result.lockfileVersion, workspaces: result.workspaces, errors: result.errors },
      { file: FILE, format: 'yarn-berry', lockfileVersion: 10, workspaces: [], errors: [] },
    );
    assert.deepStrictEqual(result.packages.filter((p) => !p.name.startsWith('@esbuild/')).map(summarize), APP_TREE);
    const platforms = result.packages.filter((p) => p.name.startsWith('@esbuild/'));
    assert.equal(platforms.length, 26);
    for (const p of platforms) assert.equal(summarize(p), `${p.name}@npm:0.25.12 ${p.name}@0.25.12 registry [optional] via esbuild > ${p.name}`);
  });

  it('reports a patched package as the registry version it is built from, naming the patch', () => {
    const key = 'ms@patch:ms@npm%3A2.1.3#./patches/ms.patch::locator=berry-app%40workspace%3A.';
    assert.deepStrictEqual(byKey(result.packages, key), {
      ...base,
      name: 'ms',
      version: '2.1.3',
      key,
      via: ['debug', 'ms'],
      location: at(`"${key}"`),
      patch: './patches/ms.patch',
      checksum: checksumOf(fixture.text, `"${key}"`),
    });
    const builtin = 'fsevents@patch:fsevents@npm%3A~2.3.2#optional!builtin<compat/fsevents>';
    assert.deepStrictEqual(byKey(result.packages, builtin), {
      ...base,
      name: 'fsevents',
      version: '2.3.3',
      key: builtin,
      dev: true,
      optional: true,
      via: ['chokidar', 'fsevents'],
      location: at(`"${builtin}"`),
      patch: 'optional!builtin<compat/fsevents>',
    });
  });

  it('gives whole packages: a merged alias, portal/link/file sources with their resolution, a checksum that is not an integrity', () => {
    const bound = '::locator=berry-app%40workspace%3A.';
    const keys = ['str@npm:string-width@^4.2.3, string-width@npm:^4.2.0', `portal-lib@portal:./portal-lib${bound}`, `linked-lib@link:./linked-lib${bound}`, `local-lib@file:./local-lib${bound}`, 'esbuild@npm:0.25.12'];
    assert.deepStrictEqual(
      keys.map((k) => byKey(result.packages, k)),
      [
        { ...base, name: 'string-width', version: '4.2.3', key: keys[0], direct: true, via: ['string-width'], location: at(`"${keys[0]}"`), checksum: checksumOf(fixture.text, `"${keys[0]}"`) },
        { ...base, name: 'portal-lib', version: '0.0.0-use.local', key: keys[1], resolved: keys[1], source: 'link', direct: true, via: ['portal-lib'], location: at(`"${keys[1]}"`) },
        { ...base, name: 'linked-lib', version: '0.0.0-use.local', key: keys[2], resolved: keys[2], source: 'link', direct: true, via: ['linked-lib'], location: at(`"${keys[2]}"`) },
        {
          ...base,
          name: 'local-lib',
          version: '0.1.0',
          key: keys[3],
          resolved: `local-lib@file:./local-lib#./local-lib::hash=967d32&locator=berry-app%40workspace%3A.`,
          source: 'file',
          direct: true,
          via: ['local-lib'],
          location: at(`"${keys[3]}"`),
          checksum: checksumOf(fixture.text, `"${keys[3]}"`),
        },
        // esbuild has a postinstall, but the lockfile does not say so (dependenciesMeta.built is policy, not lockfile).
        { ...base, name: 'esbuild', version: '0.25.12', key: keys[4], direct: true, via: ['esbuild'], location: at(`"${keys[4]}"`), checksum: checksumOf(fixture.text, `"${keys[4]}"`) },
      ],
    );
  });

  it('locates every entry at its key as written', () => {
    for (const p of result.packages) assert.deepStrictEqual(p.location, at(`"${p.key}"`));
  });

  it('without package.json still finds direct dependencies in the root workspace entry, but cannot tell dev ones', async () => {
    const bare = await parseYarnLock(FILE, fixture.text);
    assert.deepStrictEqual(bare.errors, []);
    assert.deepStrictEqual(
      bare.packages.filter((p) => p.direct).map((p) => p.name),
      ['chokidar', 'debug', 'esbuild', 'is-number', 'linked-lib', 'local-lib', 'ms', 'portal-lib', 'react', 'string-width', 'use-sync-external-store'],
    );
    assert.deepStrictEqual(bare.packages.filter((p) => p.dev), []);
    assert.deepStrictEqual(registrySet(bare.packages), registrySet(result.packages));
  });
});

describe('parseYarnLock: Yarn Berry workspaces (yarn-berry-workspaces)', () => {
  const fixture = readYarnFixture('yarn-berry-workspaces', ['packages/a', 'packages/b']);
  let result: Awaited<ReturnType<typeof parseYarnLock>>;
  before(async () => {
    result = await parseYarnLock(FILE, fixture.text, fixture.importers);
  });

  it('locks exactly the registry packages `yarn info --all --recursive` lists', () => {
    assert.deepStrictEqual(registrySet(result.packages), berryView('yarn-berry-workspaces'));
  });

  it('reads the workspaces from their lockfile entries and names the one that brings each package in', () => {
    assert.deepStrictEqual([result.workspaces, result.errors], [['packages/a', 'packages/b'], []]);
    assert.deepStrictEqual(result.packages.map(summarize), [
      'debug@npm:^4.4.0 debug@4.4.3 registry [direct] via debug in packages/b',
      'is-number@npm:^6.0.0 is-number@6.0.0 registry [dev] via is-odd > is-number in packages/b',
      'is-number@npm:^7.0.0 is-number@7.0.0 registry [dev,direct] via is-number',
      'is-odd@npm:^3.0.1 is-odd@3.0.1 registry [dev,direct] via is-odd in packages/b',
      'ms@npm:^2.1.3 ms@2.1.3 registry [direct] via ms in packages/a',
      // A dev (and peer) dependency of packages/a, a dependency of packages/b: not dev.
      'react@npm:^19.0.0 react@19.3.1 registry [direct] via react in packages/a',
    ]);
  });
});

describe('parseYarnLock: Yarn 3 (yarn-berry-v6, the berry-app project locked by Yarn 3.8.7, __metadata version 6)', () => {
  const fixture = readYarnFixture('yarn-berry-v6');
  let result: Awaited<ReturnType<typeof parseYarnLock>>;
  let current: Awaited<ReturnType<typeof parseYarnLock>>;
  before(async () => {
    result = await parseYarnLock(FILE, fixture.text, fixture.importers);
    const app = readYarnFixture('yarn-berry-app');
    current = await parseYarnLock(FILE, app.text, app.importers);
  });

  it('locks exactly the registry packages `yarn info --all --recursive` lists', () => {
    assert.deepStrictEqual(registrySet(result.packages), berryView('yarn-berry-v6'));
  });

  it('reads bare ranges in dependencies (`ms: ^2.1.3`) and the older builtin-patch keys to the same tree', () => {
    assert.deepStrictEqual([result.lockfileVersion, result.errors], [6, []]);
    const expected = current.packages
      .map(summarize)
      // Yarn 3 did not apply the `resolutions` patch of ms, and wrote its builtin patch key unencoded.
      .filter((line) => !line.startsWith('ms@patch:'))
      .map((line) =>
        line
          .replace('ms@npm:2.1.3 ', 'ms@npm:^2.1.3 ')
          .replace('fsevents@patch:fsevents@npm%3A~2.3.2#optional!builtin<compat/fsevents>', 'fsevents@patch:fsevents@~2.3.2#~builtin<compat/fsevents>'),
      );
    assert.deepStrictEqual(result.packages.map(summarize), expected);
  });
});
