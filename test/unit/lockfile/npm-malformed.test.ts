import assert from 'node:assert/strict';
import { parseNpmLock } from '../../../src/core/lockfile/npm';
import type { FileError, LockedPackage } from '../../../src/core/types';
import { insertIntoPackages, keyLocation, locationOf, readFixture, summarize } from './npm-fixtures';

const FILE = 'package-lock.json';
const REGENERATE = 'regenerate it with `npm install --package-lock-only`.';
const v3 = readFixture('tree-v3');
const good = parseNpmLock(FILE, v3.text);

function keyed(packages: readonly LockedPackage[]): Map<string, LockedPackage> {
  return new Map(packages.map((p) => [p.key, p]));
}

describe('parseNpmLock: malformed files', () => {
  it('reports an empty file and returns nothing', () => {
    for (const text of ['', ' \n\t']) {
      assert.deepStrictEqual(parseNpmLock(FILE, text), {
        file: FILE,
        format: 'npm',
        lockfileVersion: 0,
        packages: [],
        workspaces: [],
        errors: [{ file: FILE, message: `${FILE} is empty. R${REGENERATE.slice(1)}` }],
      });
    }
  });

  it('reports JSON that is not an object', () => {
    assert.deepStrictEqual(parseNpmLock('a/package-lock.json', '[1, 2]').errors, [
      {
        file: 'a/package-lock.json',
        message: 'package-lock.json does not hold a JSON object, so it is not an npm lockfile.',
        location: { file: 'a/package-lock.json', offset: 0, length: 6, line: 1, column: 1 },
      },
    ]);
  });

  it('reports the first syntax error where it is and still reads every entry', () => {
    const text = v3.text.replace('"version": "4.4.3",', '"version": "4.4.3"');
    const result = parseNpmLock(FILE, text);
    const at = locationOf(FILE, text, '"resolved"', text.indexOf('"version": "4.4.3"'));
    assert.deepStrictEqual(result.errors, [
      {
        file: FILE,
        message: `${FILE} is not valid JSON: CommaExpected at line ${at.line}, column ${at.column}. The entries that could be read were used; ${REGENERATE}`,
        location: at,
      },
    ]);
    assert.deepStrictEqual(result.packages.map(summarize), good.packages.map(summarize));
  });

  it('reads a truncated file up to the cut and says it looks truncated', () => {
    const cut = v3.text.indexOf('"node_modules/is-glob"');
    const text = v3.text.slice(0, cut);
    const result = parseNpmLock(FILE, text);
    const end = locationOf(FILE, text, '"node_modules/is-fullwidth-code-point"');
    const lines = text.split('\n');
    assert.deepStrictEqual(result.errors, [
      {
        file: FILE,
        message: `${FILE} ends unexpectedly at line ${lines.length}, column ${lines[lines.length - 1].length + 1}: it looks truncated. The entries that could be read were used; ${REGENERATE}`,
        location: { file: FILE, offset: text.length, length: 0, line: lines.length, column: lines[lines.length - 1].length + 1 },
      },
    ]);
    // Every entry before the cut is read as from the whole file; only chains through the lost part
    // (ansi-regex came via local-lib, whose link was cut off) can differ.
    const own = ({ via: _via, direct: _direct, workspace: _workspace, ...rest }: LockedPackage) => rest;
    const whole = keyed(good.packages);
    const before = good.packages.filter((p) => (p.location?.offset ?? Infinity) <= end.offset);
    assert.deepStrictEqual(result.packages.map((p) => p.key), before.map((p) => p.key));
    for (const p of result.packages) assert.deepStrictEqual(own(p), own(whole.get(p.key) ?? p));
    assert.deepStrictEqual(whole.get('node_modules/ansi-regex')?.via, ['local-lib', 'ansi-regex']);
    assert.deepStrictEqual(result.packages.find((p) => p.key === 'node_modules/ansi-regex')?.via, ['ansi-regex']);
  });

  it('reads an unknown lockfileVersion best-effort and says so; a control with version 3 has no error', () => {
    const text = v3.text.replace('"lockfileVersion": 3', '"lockfileVersion": 4');
    const result = parseNpmLock(FILE, text);
    assert.deepStrictEqual(result.errors, [
      {
        file: FILE,
        message: `${FILE} has lockfileVersion 4, which this version of Dependency Risk does not know (it reads 1, 2 and 3); it was read as best it could be, and packages may be missing. Update Dependency Risk.`,
        location: locationOf(FILE, text, '4', text.indexOf('"lockfileVersion"')),
      },
    ]);
    assert.equal(result.lockfileVersion, 4);
    assert.deepStrictEqual(result.packages, good.packages);
    assert.deepStrictEqual(good.errors, []);
  });

  it('reports a missing or non-numeric lockfileVersion as version 0', () => {
    const missing = parseNpmLock(FILE, v3.text.replace('"lockfileVersion": 3,', ''));
    assert.deepStrictEqual([missing.lockfileVersion, missing.errors], [
      0,
      [{ file: FILE, message: `${FILE} has no lockfileVersion; it was read as best it could be, and packages may be missing. R${REGENERATE.slice(1)}` }],
    ]);
    const text = v3.text.replace('"lockfileVersion": 3', '"lockfileVersion": "3"');
    const quoted = parseNpmLock(FILE, text);
    assert.deepStrictEqual([quoted.lockfileVersion, quoted.errors], [
      0,
      [
        {
          file: FILE,
          message: `${FILE} has a lockfileVersion that is not a number; it was read as best it could be, and packages may be missing. R${REGENERATE.slice(1)}`,
          location: locationOf(FILE, text, '"3"'),
        },
      ],
    ]);
  });

  it('reports a file nested too deeply for the parser instead of throwing', () => {
    const text = `{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0","x":${'['.repeat(1_000_000)}`;
    const result = parseNpmLock(FILE, text);
    assert.deepStrictEqual(result.packages, []);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0].message, /^package-lock\.json is nested too deeply to read \(.+\); none of its packages were checked\.$/);
  });

  it('ignores a byte-order mark, as npm does, and keeps offsets those of the original text', () => {
    const text = `\uFEFF${v3.text}`;
    const result = parseNpmLock(FILE, text);
    assert.deepStrictEqual(result.errors, []);
    for (const p of result.packages) assert.deepStrictEqual(p.location, keyLocation(FILE, text, p.key));
  });

  it('counts lines the same with CRLF line endings', () => {
    const text = v3.text.replace(/\n/g, '\r\n');
    const result = parseNpmLock(FILE, text);
    for (const [i, p] of result.packages.entries()) {
      assert.deepStrictEqual(p.location, keyLocation(FILE, text, p.key));
      assert.equal(p.location?.line, good.packages[i].location?.line);
    }
  });

  it('measures offsets and columns in UTF-16 code units, as VS Code does', () => {
    const compact = JSON.stringify({ lockfileVersion: 3, name: '😀 ünï', packages: { '': { dependencies: { ms: '^2' } }, 'node_modules/ms': { version: '2.1.3' } } });
    const result = parseNpmLock(FILE, compact);
    const offset = compact.indexOf('"node_modules/ms"');
    assert.deepStrictEqual(result.packages[0].location, { file: FILE, offset, length: 17, line: 1, column: offset + 1 });
    assert.equal(compact.slice(offset, offset + 17), '"node_modules/ms"');
  });
});

describe('parseNpmLock: git merge conflicts', () => {
  const conflict = (base: string) =>
    v3.text.replace(
      '      "version": "4.4.3",\n',
      `<<<<<<< HEAD\n      "version": "4.4.3",\n${base}=======\n      "version": "4.4.1",\n>>>>>>> feature/upgrade\n`,
    );

  for (const [label, base] of [
    ['two-way', ''],
    ['diff3', '||||||| merged common ancestors\n      "version": "4.3.0",\n'],
  ] as const) {
    it(`reads both sides of a ${label} conflict and reports the first marker`, () => {
      const text = conflict(base);
      const result = parseNpmLock(FILE, text);
      assert.deepStrictEqual(result.errors, [
        {
          file: FILE,
          message: `${FILE} contains git merge-conflict markers; both sides were read. Resolve the conflict (\`npm install\` can do it for a lockfile) and commit the result.`,
          location: locationOf(FILE, text, '<<<<<<< HEAD'),
        },
      ]);
      const debug = result.packages.filter((p) => p.key === 'node_modules/debug');
      assert.deepStrictEqual(debug.map((p) => p.version), ['4.4.3', '4.4.1']);
      // Both sides point at the entry's key in the conflicted file; everything else is read once.
      for (const p of debug) assert.deepStrictEqual(p.location, keyLocation(FILE, text, 'node_modules/debug'));
      assert.deepStrictEqual(
        result.packages.filter((p) => p.key !== 'node_modules/debug').map(summarize),
        good.packages.filter((p) => p.key !== 'node_modules/debug').map(summarize),
      );
    });
  }

  it('does not take "=======" outside a conflict for a marker (control)', () => {
    const text = v3.text.replace('"name": "tree",', '"name": "tree",\n=======\n');
    assert.doesNotMatch(parseNpmLock(FILE, text).errors[0]?.message ?? '', /merge-conflict/);
  });
});

describe('parseNpmLock: hostile entries', () => {
  const entries = [
    '"node_modules/../../x": { "version": "1.0.0" },',
    '"__proto__": { "version": "1.0.0", "polluted": true },',
    '"node_modules/__proto__": { "version": "1.0.0", "polluted": true },',
    '"node_modules/constructor": { "version": "1.0.0", "resolved": "https://registry.npmjs.org/constructor/-/constructor-1.0.0.tgz" },',
    '"node_modules/ünïcödé": { "version": "1.0.0" },',
    `"node_modules/${'a'.repeat(100_000)}": { "version": "1.0.0" },`,
    '"node_modules/a\u202eb": { "version": "1.0.0" },',
    '"node_modules/x": 5,',
    '"node_modules/y": { "resolved": "https://registry.npmjs.org/y/-/y-1.0.0.tgz" },',
    '"node_modules/a/lib": { "version": "1.0.0" },',
    '"/etc/passwd": { "version": "1.0.0" },',
    '"C:\\\\x\\\\node_modules\\\\y": { "version": "1.0.0" },',
    '"node_modules/al": { "name": "../evil", "version": "1.0.0" },',
    '"node_modules/ms": { "version": "0.0.1" },',
  ];
  const text = insertIntoPackages(v3.text, entries.map((e) => `    ${e}\n`).join(''));
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype);
  const result = parseNpmLock(FILE, text);

  it('skips each unusable entry with an error at its key', () => {
    const at = (raw: string): FileError['location'] => ({ ...locationOf(FILE, text, raw), length: raw.length });
    const error = (raw: string, problem: string): FileError => ({ file: FILE, message: `${FILE} entry ${problem}`, location: at(raw) });
    assert.deepStrictEqual(result.errors, [
      error('"node_modules/../../x"', '"node_modules/../../x" has an unusable path (absolute, or with empty, "." or ".." segments); it was skipped.'),
      error('"node_modules/__proto__"', '"node_modules/__proto__" names an invalid package "__proto__"; it was skipped.'),
      error('"node_modules/ünïcödé"', '"node_modules/ünïcödé" names an invalid package "ünïcödé"; it was skipped.'),
      error(
        `"node_modules/${'a'.repeat(100_000)}"`,
        `"node_modules/${'a'.repeat(47)}…(100013 characters)" names an invalid package "${'a'.repeat(60)}…(100000 characters)"; it was skipped.`,
      ),
      error('"node_modules/a\u202eb"', '"node_modules/a\\u202eb" names an invalid package "a\\u202eb"; it was skipped.'),
      error('"node_modules/x"', '"node_modules/x" is not an object; it was skipped.'),
      error('"node_modules/y"', '"node_modules/y" has no version; it was skipped.'),
      error('"node_modules/a/lib"', '"node_modules/a/lib" is inside node_modules but does not name a package; it was skipped.'),
      error('"/etc/passwd"', '"/etc/passwd" has an unusable path (absolute, or with empty, "." or ".." segments); it was skipped.'),
      error('"C:\\\\x\\\\node_modules\\\\y"', '"C:\\x\\node_modules\\y" has an unusable path (absolute, or with empty, "." or ".." segments); it was skipped.'),
      error('"node_modules/al"', '"node_modules/al" has an invalid package name "../evil"; it was skipped.'),
      {
        file: FILE,
        message: `${FILE} lists "node_modules/ms" more than once in "packages"; the last one was used, as npm does.`,
        location: keyLocation(FILE, text, 'node_modules/ms', text.indexOf('"node_modules/ms": {') + 1),
      },
      error('"__proto__"', '"__proto__" is a folder that no link points to and no workspace pattern matches; it was ignored.'),
    ]);
  });

  it('pollutes no prototype', () => {
    assert.deepStrictEqual(Object.getOwnPropertyNames(Object.prototype), prototypeBefore);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).version, undefined);
  });

  it('keeps a valid package named "constructor" (control) and the rest of the tree', () => {
    const constructorPackage = result.packages.find((p) => p.key === 'node_modules/constructor');
    assert.deepStrictEqual(constructorPackage && summarize(constructorPackage), 'node_modules/constructor constructor@1.0.0 registry via constructor');
    assert.deepStrictEqual(
      result.packages.filter((p) => p.key !== 'node_modules/constructor').map(summarize),
      good.packages.map(summarize),
    );
  });

  it('leaves the next file unaffected', () => {
    assert.deepStrictEqual(parseNpmLock(FILE, v3.text), good);
  });

  it('lists at most 50 problems and then says how many more there were', () => {
    const many = Array.from({ length: 60 }, (_, i) => `    "node_modules/bad${i}": 0,\n`).join('');
    const errors = parseNpmLock(FILE, insertIntoPackages(v3.text, many)).errors;
    assert.equal(errors.length, 51);
    assert.deepStrictEqual(errors[50], {
      file: FILE,
      message: `${FILE} has 10 more problems like the ones above; they were not listed. Regenerate it with \`npm install --package-lock-only\`.`,
    });
  });
});

describe('parseNpmLock: huge files', () => {
  it('reads 20,000 entries added to a real lockfile', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `    "node_modules/extra-${i}": { "version": "1.0.${i}" },\n`).join('');
    const result = parseNpmLock(FILE, insertIntoPackages(v3.text, many));
    assert.deepStrictEqual([result.errors, result.packages.length], [[], 20_000 + good.packages.length]);
    assert.equal(summarize(result.packages[19_999]), 'node_modules/extra-19999 extra-19999@1.0.19999 registry via extra-19999');
  });

  it('stops chains at 256 packages and says so, instead of using memory quadratic in their length', () => {
    const chain = Array.from({ length: 1000 }, (_, i) => `    "node_modules/c${i}": { "version": "1.0.0", "dependencies": { "c${i + 1}": "1.0.0" } },\n`).join('');
    const text = insertIntoPackages(v3.text.replace('"dependencies": {\n        "core-js"', '"dependencies": {\n        "c0": "1.0.0",\n        "core-js"'), chain);
    const result = parseNpmLock(FILE, text);
    assert.deepStrictEqual(result.errors, [
      { file: FILE, message: `${FILE} has dependency chains longer than 256 packages; the packages deeper than that are listed without their chain.` },
    ]);
    const chained = result.packages.filter((p) => /^node_modules\/c\d+$/.test(p.key));
    assert.deepStrictEqual(chained[255].via, Array.from({ length: 256 }, (_, i) => `c${i}`));
    assert.deepStrictEqual([chained[256].via, chained[256].direct], [['c256'], false]);
  });
});
