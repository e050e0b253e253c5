import assert from 'node:assert/strict';
import { parseYarnLock } from '../../../src/core/lockfile/yarn';
import type { FileError, LockedPackage } from '../../../src/core/types';
import { locationOf, summarize } from './npm-fixtures';
import { entryLocation, readYarnFixture } from './yarn-fixtures';

const FILE = 'yarn.lock';
const classic = readYarnFixture('yarn-classic-app').text;
const berryFixture = readYarnFixture('yarn-berry-app');
const berry = berryFixture.text;
const long = 'a'.repeat(100_000);

/** Inserts raw entries before the first esbuild entry, as a hand edit or an attacker would. */
function insertEntries(text: string, raw: readonly string[]): string {
  const at = text.indexOf('\n"@esbuild/aix-ppc64');
  return `${text.slice(0, at)}\n${raw.join('\n')}${text.slice(at)}`;
}

function at(text: string, rawKey: string, message: string): FileError {
  return { file: FILE, message: `${FILE} ${message}`, location: entryLocation(FILE, text, rawKey) };
}

describe('parseYarnLock: hostile Berry entries', () => {
  const entries = [
    '"__proto__@npm:1.0.0":\n  version: 1.0.0\n  resolution: "__proto__@npm:1.0.0"\n  polluted: yes\n',
    '"constructor@npm:1.0.0":\n  version: 1.0.0\n  resolution: "constructor@npm:1.0.0"\n  dependencies:\n    __proto__: "npm:1.0.0"\n    toString: "npm:^1"\n',
    `"${long}@npm:1.0.0":\n  version: 1.0.0\n  resolution: "${long}@npm:1.0.0"\n`,
    '"a\u202eb@npm:1.0.0":\n  version: 1.0.0\n  resolution: "a\u202eb@npm:1.0.0"\n',
    '"x@npm:1.0.0": 5\n',
    '"y@npm:1.0.0":\n  version: 1.0.0\n',
    '"z@npm:1.0.0":\n  resolution: "z@npm:1.0.0"\n  version: 6.6.6\n',
    `"deep@npm:1.0.0":\n  version: 1.0.0\n  resolution: "deep@npm:1.0.0"\n  x: ${'['.repeat(200)}\n`,
    '"ws@workspace:../../etc":\n  version: 0.0.0-use.local\n  resolution: "ws@workspace:../../etc"\n',
    '"ex@exec:./gen.js::locator=berry-app%40workspace%3A.":\n  version: 1.0.0\n  resolution: "ex@exec:./gen.js#./gen.js::hash=1&locator=berry-app%40workspace%3A."\n',
    '"gitdep@https://github.com/a/b.git#commit=abc":\n  version: 1.0.0\n  resolution: "gitdep@https://github.com/a/b.git#commit=abc"\n',
    '"tgz@https://example.com/tgz-1.0.0.tgz":\n  version: 1.0.0\n  resolution: "tgz@https://example.com/tgz-1.0.0.tgz"\n',
    '"ms@npm:1.0.0":\n  version: 1.0.0\n  resolution: "ms@npm:1.0.0"\n',
  ];
  const text = insertEntries(berry, entries);
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype);
  let result: Awaited<ReturnType<typeof parseYarnLock>>;
  let good: Awaited<ReturnType<typeof parseYarnLock>>;
  before(async () => {
    [result, good] = await Promise.all([parseYarnLock(FILE, text), parseYarnLock(FILE, berry)]);
  });

  it('skips each unusable entry with an error at its key', () => {
    assert.deepStrictEqual(result.errors, [
      at(text, '"__proto__@npm:1.0.0"', 'entry "__proto__@npm:1.0.0" resolves to an invalid package name "__proto__"; it was skipped.'),
      at(
        text,
        `"${long}@npm:1.0.0"`,
        `entry "${'a'.repeat(60)}…(100010 characters)" resolves to an invalid package name "${'a'.repeat(60)}…(100000 characters)"; it was skipped.`,
      ),
      at(text, '"a\u202eb@npm:1.0.0"', 'entry "a\\u202eb@npm:1.0.0" resolves to an invalid package name "a\\u202eb"; it was skipped.'),
      {
        file: FILE,
        message: `${FILE} has a line at the top level that is not an entry key (\`key:\` alone on its line); it was ignored.`,
        location: locationOf(FILE, text, '"x@npm:1.0.0": 5'),
      },
      at(text, '"y@npm:1.0.0"', 'entry "y@npm:1.0.0" has no resolution; it was skipped.'),
      at(text, '"z@npm:1.0.0"', 'entry "z@npm:1.0.0" says version "6.6.6" but resolves to "z@npm:1.0.0"; the resolution\'s version 1.0.0 was used.'),
      at(text, '"deep@npm:1.0.0"', 'entry "deep@npm:1.0.0" could not be read (it is not valid YAML: nesting exceeded maxDepth (100)); it was skipped.'),
      at(text, '"ws@workspace:../../etc"', 'entry "ws@workspace:../../etc" is a workspace with an unusable path "../../etc"; it was skipped.'),
      {
        ...at(text, '"ms@npm:1.0.0"', 'lists "ms@npm:1.0.0" more than once; the last one was used, as Yarn does.'),
        location: entryLocation(FILE, text, '"ms@npm:1.0.0"', text.indexOf('"ms@npm:1.0.0":') + 1),
      },
    ]);
  });

  it('keeps the usable ones with their sources: exec: as a local file, git, a tarball URL', () => {
    const added = result.packages.slice(0, 6).map((p) => [p.key, p.name, p.version, p.source, p.resolved ?? null]);
    assert.deepStrictEqual(added, [
      ['constructor@npm:1.0.0', 'constructor', '1.0.0', 'registry', null],
      ['z@npm:1.0.0', 'z', '1.0.0', 'registry', null],
      ['ex@exec:./gen.js::locator=berry-app%40workspace%3A.', 'ex', '1.0.0', 'file', 'ex@exec:./gen.js#./gen.js::hash=1&locator=berry-app%40workspace%3A.'],
      ['gitdep@https://github.com/a/b.git#commit=abc', 'gitdep', '1.0.0', 'git', 'gitdep@https://github.com/a/b.git#commit=abc'],
      ['tgz@https://example.com/tgz-1.0.0.tgz', 'tgz', '1.0.0', 'url', 'tgz@https://example.com/tgz-1.0.0.tgz'],
      ['@esbuild/aix-ppc64@npm:0.25.12', '@esbuild/aix-ppc64', '0.25.12', 'registry', null],
    ]);
  });

  it('pollutes no prototype', () => {
    assert.deepStrictEqual(Object.getOwnPropertyNames(Object.prototype), prototypeBefore);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('leaves the rest of the tree and the next file unaffected', async () => {
    const known = new Set(good.packages.map((p) => p.key));
    const kept = (packages: readonly LockedPackage[]) => packages.filter((p) => known.has(p.key)).map((p) => `${p.key} ${p.name}@${p.version}`);
    assert.deepStrictEqual(kept(result.packages), kept(good.packages));
    assert.deepStrictEqual(await parseYarnLock(FILE, berry), good);
  });
});

describe('parseYarnLock: hostile classic entries', () => {
  const sha1 = '0123456789abcdef0123456789abcdef01234567';
  const entries = [
    '"__proto__@1.0.0":\n  version "1.0.0"\n',
    `constructor@^1.0.0:\n  version "1.0.0"\n  resolved "https://registry.example/constructor/-/constructor-1.0.0.tgz#${sha1}"\n  dependencies:\n    __proto__ "^1"\n`,
    'noversion@^1:\n  resolved "https://registry.example/noversion/-/noversion-1.0.0.tgz"\n',
    `"gh@github:a/b":\n  version "1.0.0"\n  resolved "https://codeload.github.com/a/b/tar.gz/${sha1}"\n`,
    `"g@git+https://github.com/a/g.git#${sha1}":\n  version "1.0.0"\n  resolved "git+https://github.com/a/g.git#${sha1}"\n`,
    'weird@^1:\n  version "1.0.0"\n  this is not a line\n    indented too far\n',
  ];
  const text = insertEntries(classic, entries);
  let result: Awaited<ReturnType<typeof parseYarnLock>>;
  before(async () => {
    result = await parseYarnLock(FILE, text);
  });

  it('skips entries it cannot use and ignores lines it cannot read, each with an error where it is', () => {
    const line = (needle: string, message: string): FileError => {
      const offset = text.indexOf(needle, text.indexOf('weird@^1:'));
      const { line: lineNumber } = entryLocation(FILE, text, 'weird@^1');
      return { file: FILE, message: `${FILE} ${message}`, location: { file: FILE, offset, length: needle.length, line: lineNumber + (needle === 'this is not a line' ? 2 : 3), column: needle === 'this is not a line' ? 3 : 5 } };
    };
    assert.deepStrictEqual(result.errors, [
      at(text, '"__proto__@1.0.0"', 'entry "__proto__@1.0.0" names an invalid package "__proto__"; it was skipped.'),
      at(text, 'noversion@^1', 'entry "noversion@^1" has no version; it was skipped.'),
      line('this is not a line', 'entry "weird@^1" has a line that cannot be read, "this is not a line"; it was ignored.'),
      line('indented too far', 'entry "weird@^1" has a line that cannot be read, "indented too far"; it was ignored.'),
    ]);
  });

  it('classifies git entries by their descriptor and keeps a git URL\'s fragment, but not a tarball\'s sha1', () => {
    assert.deepStrictEqual(
      result.packages.slice(0, 4).map((p) => [p.key, p.source, p.resolved ?? null, p.integrity ?? null]),
      [
        ['constructor@^1.0.0', 'registry', 'https://registry.example/constructor/-/constructor-1.0.0.tgz', `sha1-${Buffer.from(sha1, 'hex').toString('base64')}`],
        ['gh@github:a/b', 'git', `https://codeload.github.com/a/b/tar.gz/${sha1}`, null],
        [`g@git+https://github.com/a/g.git#${sha1}`, 'git', `git+https://github.com/a/g.git#${sha1}`, null],
        ['weird@^1', 'registry', null, null],
      ],
    );
  });
});

describe('parseYarnLock: limits', () => {
  it('lists at most 50 problems and then says how many more there were', async () => {
    const many = Array.from({ length: 60 }, (_, i) => `"bad${i}@npm:1.0.0":\n  version: 1.0.0\n`);
    const errors = (await parseYarnLock(FILE, insertEntries(berry, many))).errors;
    assert.equal(errors.length, 51);
    assert.deepStrictEqual(errors[50], {
      file: FILE,
      message: `${FILE} has 10 more problems like the ones above; they were not listed. Regenerate it with \`yarn install --mode=update-lockfile\`.`,
    });
  });

  it('reads 20,000 entries added to a real lockfile', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `"extra-${i}@npm:^1.0.0":\n  version: 1.0.${i}\n  resolution: "extra-${i}@npm:1.0.${i}"\n  languageName: node\n  linkType: hard\n`);
    const result = await parseYarnLock(FILE, insertEntries(berry, many));
    assert.deepStrictEqual([result.errors, result.packages.length], [[], 20_000 + 79]);
    // Nothing depends on them: Berry's workspace entries say what the importers need, so they are extraneous.
    assert.equal(summarize(result.packages[19_999]), 'extra-19999@npm:^1.0.0 extra-19999@1.0.19999 registry via extra-19999');
  });

  it('stops chains at 256 packages and says so, instead of using memory quadratic in their length', async () => {
    const chain = Array.from({ length: 1000 }, (_, i) => `c${i}@^1.0.0:\n  version "1.0.0"\n  dependencies:\n    c${i + 1} "^1.0.0"\n`);
    const result = await parseYarnLock(FILE, insertEntries(classic, chain), [{ path: '', dependencies: { c0: '^1.0.0' } }]);
    assert.deepStrictEqual(result.errors, [
      { file: FILE, message: `${FILE} has dependency chains longer than 256 packages; the packages deeper than that are listed without their chain.` },
    ]);
    const chained = result.packages.filter((p) => /^c\d+$/.test(p.name));
    assert.deepStrictEqual(chained[255].via, Array.from({ length: 256 }, (_, i) => `c${i}`));
    assert.deepStrictEqual([chained[256].via, chained[256].direct], [['c256'], false]);
  });
});
