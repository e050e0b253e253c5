import assert from 'node:assert/strict';
import { parsePnpmLock } from '../../../src/core/lockfile/pnpm';
import type { LockedPackage, Lockfile } from '../../../src/core/types';
import { summarize } from './npm-fixtures';
import { FILE, keyLocation, locationOf, readFixture, registrySet } from './pnpm-fixtures';

/** The tree the `pnpm-v9` fixture locks (pnpm 10.34.9, lockfile 9.0), without the 26 @esbuild/* platform packages. */
const TREE_V9 = [
  'node_modules/local-lib local-lib@link:local-lib link [direct] via local-lib',
  'ansi-regex@5.0.1 ansi-regex@5.0.1 registry via string-width > strip-ansi > ansi-regex',
  'anymatch@3.1.3 anymatch@3.1.3 registry [dev] via chokidar > anymatch',
  'binary-extensions@2.3.0 binary-extensions@2.3.0 registry [dev] via chokidar > is-binary-path > binary-extensions',
  'braces@3.0.3 braces@3.0.3 registry [dev] via chokidar > braces',
  'chokidar@3.6.0 chokidar@3.6.0 registry [dev,direct] via chokidar',
  'core-js@3.47.0 core-js@3.47.0 registry [direct] via core-js',
  'debug@4.4.3 debug@4.4.3 registry [direct] via debug',
  'emoji-regex@8.0.0 emoji-regex@8.0.0 registry via string-width > emoji-regex',
  'esbuild@0.25.12 esbuild@0.25.12 registry [direct] via esbuild',
  'file-lib@file:file-lib file-lib@file:file-lib file [direct] via file-lib',
  'fill-range@7.1.1 fill-range@7.1.1 registry [dev] via chokidar > braces > fill-range',
  'fsevents@2.3.3 fsevents@2.3.3 registry [dev,optional] via chokidar > fsevents',
  'glob-parent@5.1.2 glob-parent@5.1.2 registry [dev] via chokidar > glob-parent',
  'is-binary-path@2.1.0 is-binary-path@2.1.0 registry [dev] via chokidar > is-binary-path',
  'is-extglob@2.1.1 is-extglob@2.1.1 registry [dev] via chokidar > is-glob > is-extglob',
  'is-fullwidth-code-point@3.0.0 is-fullwidth-code-point@3.0.0 registry via string-width > is-fullwidth-code-point',
  'is-glob@4.0.3 is-glob@4.0.3 registry [dev] via chokidar > is-glob',
  // Optional at the root and needed by the dev tree (chokidar > … > to-regex-range): neither flag.
  'is-number@7.0.0(patch_hash=553a306ce20aad53ef62b45a2ea09203e95985720ece9f5884dd1a598277d071) is-number@7.0.0 registry [direct] via is-number',
  'js-tokens@4.0.0 js-tokens@4.0.0 registry via react > loose-envify > js-tokens',
  'loose-envify@1.4.0 loose-envify@1.4.0 registry via react > loose-envify',
  'ms@1.0.0 ms@1.0.0 registry [direct] via ms',
  'ms@2.1.3 ms@2.1.3 registry via debug > ms',
  'normalize-path@3.0.0 normalize-path@3.0.0 registry [dev] via chokidar > normalize-path',
  'picomatch@2.3.2 picomatch@2.3.2 registry [dev] via chokidar > anymatch > picomatch',
  'react-dom@18.3.1(react@18.3.1) react-dom@18.3.1 registry [direct] via react-dom',
  'react@18.3.1 react@18.3.1 registry [direct] via react',
  'readdirp@3.6.0 readdirp@3.6.0 registry [dev] via chokidar > readdirp',
  'scheduler@0.23.2 scheduler@0.23.2 registry via react-dom > scheduler',
  // The `str: npm:string-width@4.2.3` alias is named by its registry name.
  'string-width@4.2.3 string-width@4.2.3 registry [direct] via string-width',
  'strip-ansi@6.0.1 strip-ansi@6.0.1 registry via string-width > strip-ansi',
  'to-regex-range@5.0.1 to-regex-range@5.0.1 registry [dev] via chokidar > braces > fill-range > to-regex-range',
  'use-sync-external-store@1.6.0(react@18.3.1) use-sync-external-store@1.6.0 registry [direct] via use-sync-external-store',
];

const ESBUILD_PLATFORMS = [
  'aix-ppc64', 'android-arm64', 'android-arm', 'android-x64', 'darwin-arm64', 'darwin-x64', 'freebsd-arm64', 'freebsd-x64',
  'linux-arm64', 'linux-arm', 'linux-ia32', 'linux-loong64', 'linux-mips64el', 'linux-ppc64', 'linux-riscv64', 'linux-s390x',
  'linux-x64', 'netbsd-arm64', 'netbsd-x64', 'openbsd-arm64', 'openbsd-x64', 'openharmony-arm64', 'sunos-x64', 'win32-arm64',
  'win32-ia32', 'win32-x64',
];

function byKey(lockfile: Lockfile, key: string): LockedPackage | undefined {
  return lockfile.packages.find((p) => p.key === key);
}

function lineOf(lockfile: Lockfile, key: string): string | undefined {
  const found = byKey(lockfile, key);
  return found && summarize(found);
}

/** The integrity pnpm wrote for a `packages` key, read from the text with a regular expression. */
function integrityOf(text: string, key: string): string {
  const at = keyLocation(FILE, text, key).offset;
  const match = /resolution: \{integrity: ([^,}]+)/.exec(text.slice(at));
  if (!match?.[1]) throw new Error(`no integrity for ${key}`);
  return match[1];
}

/**
 * One line per package without its key, install-script flag, or the version of a non-registry entry
 * (5.4 records a folder's version, 6.0 and 9.0 its path): the same tree in two lockfile versions compares equal.
 */
function tree(packages: readonly LockedPackage[]): string[] {
  return packages
    .map((p) => {
      const flags = [p.dev && 'dev', p.optional && 'optional', p.peer && 'peer', p.direct && 'direct'].filter(Boolean);
      const version = p.source === 'registry' ? `@${p.version}` : '';
      return `${p.name}${version} ${p.source}${flags.length ? ` [${flags.join(',')}]` : ''} via ${p.via.join(' > ')}${p.workspace ? ` in ${p.workspace}` : ''}`;
    })
    .sort();
}

describe('parsePnpmLock: lockfile 9.0 (pnpm 10)', () => {
  const fixture = readFixture('pnpm-v9');
  let result: Lockfile;
  before(async () => {
    result = await parsePnpmLock(FILE, fixture.text);
  });
  const base = { dev: false, optional: false, peer: false, direct: false, source: 'registry', workspace: '' } as const;

  it('locks exactly the registry packages `pnpm list --lockfile-only` shows', () => {
    assert.deepStrictEqual(registrySet(result.packages), fixture.expected.packages);
    assert.equal(fixture.expected.packages.length, 57);
  });

  it('reads the whole tree: names, versions, sources, flags and shortest chains, with no errors', () => {
    assert.deepStrictEqual(
      { file: result.file, format: result.format, lockfileVersion: result.lockfileVersion, workspaces: result.workspaces, errors: result.errors },
      { file: FILE, format: 'pnpm', lockfileVersion: 9, workspaces: [], errors: [] },
    );
    assert.deepStrictEqual(result.packages.map(summarize).filter((line) => !line.startsWith('@esbuild/')), TREE_V9);
  });

  it('marks every esbuild platform package optional, reached through esbuild', () => {
    const platforms = result.packages.filter((p) => p.name.startsWith('@esbuild/'));
    assert.deepStrictEqual(
      platforms.map(summarize),
      ESBUILD_PLATFORMS.map((p) => `@esbuild/${p}@0.25.12 @esbuild/${p}@0.25.12 registry [optional] via esbuild > @esbuild/${p}`),
    );
  });

  it('derives `optional` as pnpm does: the same packages its snapshots mark `optional: true`', () => {
    const snapshots = fixture.text.slice(fixture.text.indexOf('\nsnapshots:'));
    const marked = [...snapshots.matchAll(/^ {2}'?([^'\n]+?)'?:\n {4}optional: true$/gm)].map((m) => m[1]).sort();
    assert.deepStrictEqual(result.packages.filter((p) => p.optional).map((p) => p.key).sort(), marked);
  });

  it('records no install-script flag, since lockfile 9.0 dropped requiresBuild', () => {
    assert.ok(result.packages.every((p) => !('hasInstallScript' in p)));
  });

  it('returns whole entries for an alias, a peer-suffixed and a patched package, located at their `packages` keys', () => {
    const expected = (key: string, packageKey: string, name: string, extra: Partial<LockedPackage> = {}): LockedPackage => ({
      ...base,
      name,
      version: packageKey.slice(packageKey.lastIndexOf('@') + 1),
      key,
      integrity: integrityOf(fixture.text, packageKey),
      direct: true,
      via: [name],
      location: keyLocation(FILE, fixture.text, packageKey),
      ...extra,
    });
    const patched = 'is-number@7.0.0(patch_hash=553a306ce20aad53ef62b45a2ea09203e95985720ece9f5884dd1a598277d071)';
    assert.deepStrictEqual(
      ['string-width@4.2.3', 'react-dom@18.3.1(react@18.3.1)', patched, '@esbuild/linux-x64@0.25.12', 'fsevents@2.3.3'].map((k) => byKey(result, k)),
      [
        expected('string-width@4.2.3', 'string-width@4.2.3', 'string-width'),
        expected('react-dom@18.3.1(react@18.3.1)', 'react-dom@18.3.1', 'react-dom'),
        expected(patched, 'is-number@7.0.0', 'is-number'),
        expected('@esbuild/linux-x64@0.25.12', '@esbuild/linux-x64@0.25.12', '@esbuild/linux-x64', {
          direct: false,
          optional: true,
          via: ['esbuild', '@esbuild/linux-x64'],
        }),
        expected('fsevents@2.3.3', 'fsevents@2.3.3', 'fsevents', { direct: false, dev: true, optional: true, via: ['chokidar', 'fsevents'] }),
      ],
    );
  });

  it('keeps a file: folder (source file) and a link: folder (source link, located at its importer key)', () => {
    assert.deepStrictEqual(byKey(result, 'file-lib@file:file-lib'), {
      ...base,
      name: 'file-lib',
      version: 'file:file-lib',
      key: 'file-lib@file:file-lib',
      resolved: 'file-lib',
      source: 'file',
      direct: true,
      via: ['file-lib'],
      location: keyLocation(FILE, fixture.text, 'file-lib@file:file-lib'),
    });
    assert.deepStrictEqual(byKey(result, 'node_modules/local-lib'), {
      ...base,
      name: 'local-lib',
      version: 'link:local-lib',
      key: 'node_modules/local-lib',
      resolved: 'local-lib',
      source: 'link',
      direct: true,
      via: ['local-lib'],
      location: keyLocation(FILE, fixture.text, 'local-lib', { section: 'importers', indent: 6 }),
    });
  });

  it('locates every registry entry at its `packages` key in the text', () => {
    for (const p of result.packages.filter((q) => q.source === 'registry')) {
      const packageKey = p.key.replace(/\(.*$/, '');
      assert.deepStrictEqual(p.location, keyLocation(FILE, fixture.text, packageKey), p.key);
    }
  });

  it('marks a package reached only through peer edges as peer (react, once the root no longer declares it)', async () => {
    const text = fixture.text.replace("      react:\n        specifier: 18.3.1\n        version: 18.3.1\n", '');
    const edited = await parsePnpmLock(FILE, text);
    assert.deepStrictEqual(edited.errors, []);
    assert.equal(lineOf(edited, 'react@18.3.1'), 'react@18.3.1 react@18.3.1 registry [peer] via react-dom > react');
    // loose-envify is a plain dependency of react-dom as well: not peer (control).
    assert.equal(lineOf(edited, 'loose-envify@1.4.0'), 'loose-envify@1.4.0 loose-envify@1.4.0 registry via react-dom > loose-envify');
  });
});

describe('parsePnpmLock: lockfile 6.0 (pnpm 8) and 5.4 (pnpm 7)', () => {
  let v9: Lockfile;
  before(async () => {
    v9 = await parsePnpmLock(FILE, readFixture('pnpm-v9').text);
  });
  /** The v9 tree without esbuild, which the older fixtures leave out to keep their install small. */
  const withoutEsbuild = (packages: readonly LockedPackage[]) => packages.filter((p) => !p.name.includes('esbuild'));

  for (const [name, version, pnpm] of [
    ['pnpm-v6', 6, '8.15.9'],
    ['pnpm-v5', 5.4, '7.33.7'],
  ] as const) {
    describe(name, () => {
      const fixture = readFixture(name);
      let result: Lockfile;
      before(async () => {
        result = await parsePnpmLock(FILE, fixture.text);
      });

      it(`locks exactly the registry packages pnpm ${pnpm} installed and listed`, () => {
        assert.deepStrictEqual([result.lockfileVersion, result.errors, result.workspaces], [version, [], []]);
        assert.equal(fixture.expected.pnpm, pnpm);
        assert.deepStrictEqual(registrySet(result.packages), fixture.expected.packages);
      });

      it('holds the same tree as lockfile 9.0: flags from the file equal the flags 9.0 derives', () => {
        assert.deepStrictEqual(tree(result.packages), tree(withoutEsbuild(v9.packages)));
      });

      it('records requiresBuild as hasInstallScript (core-js, fsevents) and false elsewhere', () => {
        assert.deepStrictEqual(
          result.packages.filter((p) => p.hasInstallScript).map((p) => p.name),
          ['core-js', 'fsevents'],
        );
        assert.ok(result.packages.filter((p) => p.source !== 'link').every((p) => typeof p.hasInstallScript === 'boolean'));
      });

      it('locates every entry at its `packages` key', () => {
        for (const p of result.packages.filter((q) => q.source !== 'link')) assert.deepStrictEqual(p.location, keyLocation(FILE, fixture.text, p.key), p.key);
      });
    });
  }

  it('6.0: keys peer-suffixed, patched and aliased packages as pnpm 8 does', async () => {
    const fixture = readFixture('pnpm-v6');
    const result = await parsePnpmLock(FILE, fixture.text);
    const key = '/react-dom@18.3.1(react@18.3.1)';
    assert.deepStrictEqual(byKey(result, key), {
      name: 'react-dom',
      version: '18.3.1',
      key,
      integrity: integrityOf(fixture.text, key),
      hasInstallScript: false,
      dev: false,
      optional: false,
      peer: false,
      direct: true,
      source: 'registry',
      via: ['react-dom'],
      workspace: '',
      location: keyLocation(FILE, fixture.text, key),
    });
    assert.deepStrictEqual(
      ['/is-number@7.0.0(patch_hash=ntv6k645uff44fpx2535h6bgbe)', '/string-width@4.2.3', 'file:file-lib'].map((k) => {
        const p = byKey(result, k);
        return p && [p.name, p.version, p.source, p.direct];
      }),
      [
        ['is-number', '7.0.0', 'registry', true],
        ['string-width', '4.2.3', 'registry', true],
        ['file-lib', 'file:file-lib', 'file', true],
      ],
    );
  });

  it('5.4: reads `/name/version_suffix` keys, top-level specifiers, and the folder version pnpm 7 records', async () => {
    const fixture = readFixture('pnpm-v5');
    const result = await parsePnpmLock(FILE, fixture.text);
    const key = '/core-js/3.47.0';
    assert.deepStrictEqual(byKey(result, key), {
      name: 'core-js',
      version: '3.47.0',
      key,
      integrity: integrityOf(fixture.text, key),
      hasInstallScript: true,
      dev: false,
      optional: false,
      peer: false,
      direct: true,
      source: 'registry',
      via: ['core-js'],
      workspace: '',
      location: keyLocation(FILE, fixture.text, key),
    });
    assert.deepStrictEqual(
      ['/react-dom/18.3.1_react@18.3.1', '/is-number/7.0.0_ntv6k645uff44fpx2535h6bgbe', '/fsevents/2.3.3', 'file:file-lib'].map((k) => lineOf(result, k)),
      [
        '/react-dom/18.3.1_react@18.3.1 react-dom@18.3.1 registry [direct] via react-dom',
        '/is-number/7.0.0_ntv6k645uff44fpx2535h6bgbe is-number@7.0.0 registry [direct] via is-number',
        '/fsevents/2.3.3 fsevents@2.3.3 registry [dev,optional,script] via chokidar > fsevents',
        'file:file-lib file-lib@0.2.0 file [direct] via file-lib',
      ],
    );
  });
});

describe('parsePnpmLock: workspaces', () => {
  const TREE = [
    'node_modules/@fx/b @fx/b@1.1.0 workspace [direct] via @fx/b',
    'packages/b/node_modules/@fx/a @fx/a@1.0.0 workspace [direct] via @fx/a in packages/b',
    'debug@4.4.3 debug@4.4.3 registry [direct] via debug',
    'is-number@4.0.0 is-number@4.0.0 registry via is-odd > is-number in packages/b',
    'is-number@6.0.0 is-number@6.0.0 registry via is-odd > is-number',
    // Dev in packages/b only.
    'is-number@7.0.0 is-number@7.0.0 registry [dev,direct] via is-number in packages/b',
    // `odd-tarball: https://registry.npmjs.org/is-odd/-/is-odd-2.0.0.tgz`: pnpm resolves a registry tarball URL to the registry package.
    'is-odd@2.0.0 is-odd@2.0.0 registry [direct] via is-odd in packages/b',
    // A devDependency of the root, and a dependency of packages/b: not dev.
    'is-odd@3.0.1 is-odd@3.0.1 registry [direct] via is-odd',
    'ms@1.0.0 ms@1.0.0 registry [direct] via ms in packages/a',
    'ms@2.1.3 ms@2.1.3 registry via debug > ms',
  ];

  for (const [name, version, keyOf] of [
    ['pnpm-v9-workspace', 9, (n: string, v: string) => `${n}@${v}`],
    ['pnpm-v5-workspace', 5.4, (n: string, v: string) => `/${n}/${v}`],
  ] as const) {
    it(`${name}: lists importers as workspaces, credits each workspace, and takes link versions from the manifests`, async () => {
      const fixture = readFixture(name, ['packages/a', 'packages/b']);
      const result = await parsePnpmLock(FILE, fixture.text, fixture.manifests);
      assert.deepStrictEqual([result.lockfileVersion, result.errors, result.workspaces], [version, [], ['packages/a', 'packages/b']]);
      assert.deepStrictEqual(registrySet(result.packages), fixture.expected.packages);
      const keyed = (line: string) => line.replace(/^([^ ]+@[^ ]+) \1/, (_m, id: string) => `${keyOf(id.slice(0, id.lastIndexOf('@')), id.slice(id.lastIndexOf('@') + 1))} ${id}`);
      assert.deepStrictEqual(result.packages.map(summarize), TREE.map(keyed));
    });
  }

  it('locates a workspace link at its dependency key under the importer, and keeps the link path without manifests', async () => {
    const fixture = readFixture('pnpm-v9-workspace');
    const result = await parsePnpmLock(FILE, fixture.text);
    const importer = fixture.text.indexOf('  packages/b:');
    assert.deepStrictEqual(byKey(result, 'packages/b/node_modules/@fx/a'), {
      name: '@fx/a',
      version: 'link:../a',
      key: 'packages/b/node_modules/@fx/a',
      resolved: 'packages/a',
      dev: false,
      optional: false,
      peer: false,
      direct: true,
      source: 'workspace',
      via: ['@fx/a'],
      workspace: 'packages/b',
      location: locationOf(FILE, fixture.text, "'@fx/a'", importer),
    });
  });
});

describe('parsePnpmLock: pnpm 11+ env document (pnpm 12.21.0)', () => {
  const fixture = readFixture('pnpm-v9-env');

  it('reads the project document, not the env document before it (config dependencies are left out, as pnpm list does)', async () => {
    const result = await parsePnpmLock(FILE, fixture.text);
    assert.equal(fixture.text.startsWith('---\nlockfileVersion'), true);
    assert.deepStrictEqual([result.lockfileVersion, result.errors], [9, []]);
    assert.deepStrictEqual(registrySet(result.packages), fixture.expected.packages);
    assert.equal(result.packages.some((p) => p.name === 'ms'), false);
    const second = fixture.text.indexOf('\n---\n');
    const key = 'is-number@6.0.0(patch_hash=8c537ed2b85b915600f534ccad4968b318ef0a6f6a29a64224760d02b1bb44e4)';
    const location = keyLocation(FILE, fixture.text, 'is-number@6.0.0', { from: second });
    assert.deepStrictEqual(byKey(result, key), {
      name: 'is-number',
      version: '6.0.0',
      key,
      integrity: 'sha512-Wu1VHeILBK8KAWJUAiSZQX94GmOE45Rg6/538fKwiloUu21KncEkYGPqob2oSZ5mUT73vLGrHQjKw3KMPwfDzg==',
      dev: false,
      optional: false,
      peer: false,
      direct: false,
      source: 'registry',
      via: ['is-odd', 'is-number'],
      workspace: '',
      location,
    });
  });

  it('reads a lockfile without the env document the same way (control)', async () => {
    const alone = fixture.text.slice(fixture.text.indexOf('\n---\n') + 5);
    const withEnv = await parsePnpmLock(FILE, fixture.text);
    const withoutEnv = await parsePnpmLock(FILE, alone);
    assert.deepStrictEqual(withoutEnv.packages.map(summarize), withEnv.packages.map(summarize));
  });
});
