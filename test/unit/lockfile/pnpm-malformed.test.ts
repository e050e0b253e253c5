import assert from 'node:assert/strict';
import { parsePnpmLock } from '../../../src/core/lockfile/pnpm';
import type { FileError, LockedPackage, Lockfile } from '../../../src/core/types';
import { summarize, withoutLocations } from './npm-fixtures';
import { FILE, keyLocation, locationOf, readFixture } from './pnpm-fixtures';

const REGENERATE = 'regenerate it with `pnpm install --lockfile-only`';
const v9 = readFixture('pnpm-v9');
const v6 = readFixture('pnpm-v6');

/** Inserts raw entries at the start of the `packages` map (and, when given, of `snapshots`), as a hand edit or an attacker would. */
function insert(text: string, packages: string, snapshots = ''): string {
  const withPackages = text.replace('\npackages:\n\n', `\npackages:\n\n${packages}`);
  return snapshots ? withPackages.replace('\nsnapshots:\n\n', `\nsnapshots:\n\n${snapshots}`) : withPackages;
}

function error(message: string, location?: FileError['location']): FileError {
  return location ? { file: FILE, message, location } : { file: FILE, message };
}

describe('parsePnpmLock: malformed files', () => {
  let good: Lockfile;
  before(async () => {
    good = await parsePnpmLock(FILE, v9.text);
  });

  it('reports an empty file and returns nothing', async () => {
    for (const text of ['', ' \n\t']) {
      assert.deepStrictEqual(await parsePnpmLock(FILE, text), {
        file: FILE,
        format: 'pnpm',
        lockfileVersion: 0,
        packages: [],
        workspaces: [],
        errors: [error(`${FILE} is empty. R${REGENERATE.slice(1)}.`)],
      });
    }
  });

  it('reports YAML that holds no map', async () => {
    for (const text of ['- a\n- b\n', 'just text']) {
      const result = await parsePnpmLock('a/pnpm-lock.yaml', text);
      assert.deepStrictEqual(result.errors, [
        {
          file: 'a/pnpm-lock.yaml',
          message: 'pnpm-lock.yaml does not hold a YAML map, so it is not a pnpm lockfile.',
          location: { file: 'a/pnpm-lock.yaml', offset: 0, length: text.length, line: 1, column: 1 },
        },
      ]);
      assert.deepStrictEqual(result.packages, []);
    }
  });

  it('reports the first syntax error where it is and still reads the rest', async () => {
    const text = v9.text.replace('\n  debug@4.4.3:\n', '\n\tdebug@4.4.3:\n');
    const result = await parsePnpmLock(FILE, text);
    const at = locationOf(FILE, text, '\tdebug@4.4.3:');
    assert.deepStrictEqual(result.errors[0], {
      ...error(`${FILE} is not valid YAML: Tabs are not allowed as indentation at line ${at.line}, column 1 (and 25 more syntax errors). The entries that could be read were used; ${REGENERATE}.`),
      location: { ...at, length: 1 },
    });
    // The packages before the tab keep their entries.
    assert.equal(result.packages.find((p) => p.key === 'core-js@3.47.0')?.integrity, good.packages.find((p) => p.key === 'core-js@3.47.0')?.integrity);
  });

  it('says a file cut inside an entry looks truncated, and reads what is there', async () => {
    const text = v9.text.slice(0, v9.text.indexOf('sha512-', v9.text.indexOf('\n  ms@1.0.0:')) + 20);
    const result = await parsePnpmLock(FILE, text);
    const lines = text.split('\n');
    const end = { line: lines.length, column: (lines.at(-1) ?? '').length + 1 };
    assert.deepStrictEqual(result.errors[0], {
      ...error(`${FILE} ends unexpectedly at line ${end.line}, column ${end.column}: it looks truncated. The entries that could be read were used; ${REGENERATE}.`),
      location: { file: FILE, offset: text.length, length: 0, line: end.line, column: end.column },
    });
    assert.deepStrictEqual(
      result.packages.map((p) => p.key).slice(0, 3),
      ['node_modules/local-lib', '@esbuild/aix-ppc64@0.25.12', '@esbuild/android-arm64@0.25.12'],
    );
  });

  it('says a file cut between entries refers to packages it does not list, and reads the rest without their dependencies', async () => {
    const text = v9.text.slice(0, v9.text.indexOf('  is-glob@4.0.3:\n    dependencies'));
    const result = await parsePnpmLock(FILE, text);
    assert.deepStrictEqual(result.errors, [
      error(`${FILE} has 16 entries in "packages" with no snapshot (first: "is-glob@4.0.3"); read without dependencies.`),
      error(
        `${FILE} refers to 3 packages that it does not list (first: "react-dom: 18.3.1(react@18.3.1)" in importer "."); those dependencies were not followed. It may be truncated or edited by hand: ${REGENERATE}.`,
      ),
    ]);
    // The snapshots after the cut (all the peer-suffixed and patched ones among them) are replaced by their `packages` entries.
    assert.deepStrictEqual(result.packages.map((p) => p.key).sort(), good.packages.map((p) => p.key.replace(/\(.*$/, '')).sort());
  });

  it('reads an unknown lockfileVersion best-effort, guessing the layout; a control with 9.0 has no error', async () => {
    const text = v9.text.replace("lockfileVersion: '9.0'", "lockfileVersion: '10.0'");
    const result = await parsePnpmLock(FILE, text);
    assert.deepStrictEqual(result.errors, [
      error(
        `${FILE} has lockfileVersion "10.0", which this version of Dependency Risk does not know (it reads 5.3, 5.4, 6.0, 6.1, 9.0); it was read as best it could be, and packages may be missing. Update Dependency Risk.`,
        locationOf(FILE, text, "'10.0'"),
      ),
    ]);
    assert.deepStrictEqual([result.lockfileVersion, withoutLocations(result.packages)], [10, withoutLocations(good.packages)]);
    assert.deepStrictEqual(good.errors, []);
    const six = await parsePnpmLock(FILE, v6.text.replace("lockfileVersion: '6.0'", "lockfileVersion: '7.0'"));
    assert.deepStrictEqual(six.packages, (await parsePnpmLock(FILE, v6.text)).packages);
  });

  it('reports a missing or non-scalar lockfileVersion as version 0', async () => {
    const missing = await parsePnpmLock(FILE, v9.text.replace("lockfileVersion: '9.0'\n", ''));
    assert.deepStrictEqual([missing.lockfileVersion, missing.errors.map((e) => e.message)], [
      0,
      [`${FILE} has no lockfileVersion; it was read as best it could be, and packages may be missing. R${REGENERATE.slice(1)}.`],
    ]);
    assert.equal(missing.packages.length, good.packages.length);
    const text = v9.text.replace("lockfileVersion: '9.0'", 'lockfileVersion: [9]');
    assert.deepStrictEqual((await parsePnpmLock(FILE, text)).errors, [
      error(
        `${FILE} has a lockfileVersion that is not a scalar; it was read as best it could be, and packages may be missing. R${REGENERATE.slice(1)}.`,
        locationOf(FILE, text, '[9]'),
      ),
    ]);
  });

  it('reports a file that holds only the env document', async () => {
    const env = v9.text.slice(0, 0) + "---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    configDependencies:\n      ms:\n        specifier: 2.1.3\n        version: 2.1.3\n";
    assert.deepStrictEqual(await parsePnpmLock(FILE, env), {
      file: FILE,
      format: 'pnpm',
      lockfileVersion: 0,
      packages: [],
      workspaces: [],
      errors: [error(`${FILE} holds only pnpm's env document (config dependencies and the package manager), not the project's lockfile; ${REGENERATE}.`)],
    });
  });

  it('refuses flow collections nested deeper than pnpm writes, quickly, instead of overflowing the stack', async () => {
    const result = await parsePnpmLock(FILE, `lockfileVersion: '9.0'\nx: ${'['.repeat(1_000_000)}`);
    assert.deepStrictEqual(result.errors, [
      error(
        `${FILE} could not be read as YAML (flow collections ([ ] and { }) nested more than 64 deep); none of its packages were checked. Regenerate it with \`pnpm install --lockfile-only\`.`,
      ),
    ]);
  });

  it('reports block collections nested too deeply to read', async () => {
    const text = `lockfileVersion: '9.0'\nx:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}k:`).join('\n')}`;
    const result = await parsePnpmLock(FILE, text);
    assert.equal(result.errors.length, 2);
    assert.match(result.errors[0].message, /^pnpm-lock\.yaml is nested too deeply to read at line \d+, column \d+\. The entries that could be read were used; /);
  });

  it('ignores a byte-order mark and keeps offsets those of the original text', async () => {
    const text = `\uFEFF${v9.text}`;
    const result = await parsePnpmLock(FILE, text);
    assert.deepStrictEqual(result.errors, []);
    const react = result.packages.find((p) => p.key === 'react@18.3.1');
    assert.deepStrictEqual(react?.location, keyLocation(FILE, text, 'react@18.3.1'));
  });

  it('counts lines the same with CRLF line endings', async () => {
    const text = v9.text.replace(/\n/g, '\r\n');
    const result = await parsePnpmLock(FILE, text);
    assert.deepStrictEqual(result.errors, []);
    for (const [i, p] of result.packages.entries()) assert.equal(p.location?.line, good.packages[i].location?.line);
    assert.deepStrictEqual(result.packages.find((p) => p.key === 'react@18.3.1')?.location, keyLocation(FILE, text, 'react@18.3.1'));
  });

  it('measures offsets and columns in UTF-16 code units, as VS Code does', async () => {
    const text = `# 😀 ünï\n${v9.text}`;
    const result = await parsePnpmLock(FILE, text);
    const location = keyLocation(FILE, text, '@esbuild/aix-ppc64@0.25.12');
    assert.deepStrictEqual(result.packages.find((p) => p.key === '@esbuild/aix-ppc64@0.25.12')?.location, location);
    assert.equal(text.slice(location.offset, location.offset + location.length), "'@esbuild/aix-ppc64@0.25.12'");
  });
});

describe('parsePnpmLock: git merge conflicts', () => {
  const conflicted = (base: string) =>
    v6.text
      .replace('  debug:\n    specifier: 4.4.3\n    version: 4.4.3\n', `  debug:\n    specifier: 4.4.3\n<<<<<<< HEAD\n    version: 4.4.3\n${base}=======\n    version: 4.4.1\n>>>>>>> upgrade\n`)
      .replace('\n  /debug@4.4.3:\n', '\n<<<<<<< HEAD\n  /debug@4.4.3:\n=======\n  /debug@4.4.1:\n>>>>>>> upgrade\n');

  for (const [label, base] of [
    ['two-way', ''],
    ['diff3', '||||||| base\n    version: 4.3.0\n'],
  ] as const) {
    it(`reads both sides of a ${label} conflict and reports the first marker`, async () => {
      const text = conflicted(base);
      const result = await parsePnpmLock(FILE, text);
      const good = await parsePnpmLock(FILE, v6.text);
      assert.deepStrictEqual(result.errors, [
        error(
          `${FILE} contains git merge-conflict markers; both sides were read. Resolve the conflict (\`pnpm install\` can do it for a lockfile) and commit the result.`,
          locationOf(FILE, text, '<<<<<<< HEAD'),
        ),
      ]);
      const debug = result.packages.filter((p) => p.name === 'debug');
      assert.deepStrictEqual(debug.map((p) => [p.key, p.version, p.direct]), [
        ['/debug@4.4.3', '4.4.3', true],
        ['/debug@4.4.1', '4.4.1', true],
      ]);
      assert.deepStrictEqual(debug[1].location, keyLocation(FILE, text, '/debug@4.4.1'));
      assert.deepStrictEqual(
        result.packages.filter((p) => p.name !== 'debug').map(summarize),
        good.packages.filter((p) => p.name !== 'debug').map(summarize),
      );
    });
  }
});

describe('parsePnpmLock: hostile entries', () => {
  const longName = 'a'.repeat(100_000);
  const packages = [
    "  '__proto__@1.0.0':\n    resolution: {integrity: sha512-x}\n",
    '  constructor@1.0.0:\n    resolution: {integrity: sha512-y}\n',
    '  x@1.0.0: 5\n',
    "  '../evil@1.0.0':\n    resolution: {integrity: sha512-z}\n",
    "  'a\u202eb@1.0.0':\n    resolution: {integrity: sha512-z}\n",
    '  nokey:\n    resolution: {integrity: sha512-z}\n',
    '  ms@1.0.0:\n    resolution: {integrity: sha512-first}\n',
    `  ${longName}@1.0.0:\n    resolution: {integrity: sha512-z}\n`,
  ].join('\n');
  const snapshots = ["  '__proto__@1.0.0': {}\n", '  constructor@1.0.0: {}\n', '  x@1.0.0: {}\n', "  '../evil@1.0.0': {}\n", '  nokey: {}\n'].join('\n');
  const importers =
    "importers:\n\n  '/etc':\n    dependencies:\n      x:\n        specifier: 1.0.0\n        version: 1.0.0\n\n" +
    '  __proto__:\n    dependencies:\n      constructor:\n        specifier: 1.0.0\n        version: 1.0.0\n' +
    "      '../bad':\n        specifier: link:../x\n        version: link:../x\n\n  .:\n";
  const text = insert(v9.text, `${packages}\n`, `${snapshots}\n`).replace('importers:\n\n  .:\n', importers);
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype);
  let result: Lockfile;
  let good: Lockfile;
  before(async () => {
    result = await parsePnpmLock(FILE, text);
    good = await parsePnpmLock(FILE, v9.text);
  });

  it('skips each unusable entry with an error at its key', () => {
    const at = (raw: string): FileError['location'] => locationOf(FILE, text, raw);
    const entry = (raw: string, problem: string) => error(`${FILE} ${problem}`, at(raw));
    const longKey = `${longName}@1.0.0`;
    assert.deepStrictEqual(result.errors, [
      // YAML limits implicit keys to 1024 characters; the entry is still read, and then refused by name.
      error(
        `${FILE} is not valid YAML: The : indicator must be at most 1024 chars after the start of an implicit block mapping key at line ${at(longKey)?.line}, column 3. The entries that could be read were used; ${REGENERATE}.`,
        at(longKey),
      ),
      entry("'/etc'", 'importer "/etc" has an unusable path (absolute, or with empty, "." or ".." segments); it was skipped.'),
      error(
        `${FILE} lists "ms@1.0.0" more than once in "packages"; the last one was used (pnpm itself refuses duplicate keys).`,
        locationOf(FILE, text, 'ms@1.0.0', text.indexOf('\n  ms@1.0.0:\n', text.indexOf('sha512-first'))),
      ),
      entry("'__proto__@1.0.0'", 'entry "__proto__@1.0.0" names an invalid package "__proto__"; it was skipped.'),
      entry('x@1.0.0', 'entry "x@1.0.0" is not a map; it was skipped.'),
      entry("'../evil@1.0.0'", 'entry "../evil@1.0.0" names an invalid package "../evil"; it was skipped.'),
      entry('nokey', 'entry "nokey" names no package (it has no "name" and is not a name@version key); it was skipped.'),
      entry("'a\u202eb@1.0.0'", 'entry "a\\u202eb@1.0.0" names an invalid package "a\\u202eb"; it was skipped.'),
      entry(
        longKey,
        `entry "${'a'.repeat(60)}…(100006 characters)" names an invalid package "${'a'.repeat(60)}…(100000 characters)"; it was skipped.`,
      ),
      error(`${FILE} has 2 entries in "packages" with no snapshot (first: "a\\u202eb@1.0.0"); read without dependencies.`),
      entry("'../bad'", 'importer "__proto__" links an invalid package name "../bad"; it was skipped.'),
    ]);
  });

  it('pollutes no prototype', () => {
    assert.deepStrictEqual(Object.getOwnPropertyNames(Object.prototype), prototypeBefore);
    assert.equal(({} as Record<string, unknown>).resolution, undefined);
    assert.equal(({} as Record<string, unknown>).dependencies, undefined);
  });

  it('keeps a valid package named "constructor" and an importer named "__proto__" (controls), and the rest of the tree', () => {
    const constructorPackage = result.packages.find((p) => p.key === 'constructor@1.0.0');
    assert.equal(constructorPackage && summarize(constructorPackage), 'constructor@1.0.0 constructor@1.0.0 registry [direct] via constructor in __proto__');
    assert.deepStrictEqual(result.workspaces, ['__proto__']);
    const rest = (packages: readonly LockedPackage[]) => packages.filter((p) => p.key !== 'constructor@1.0.0').map(({ location: _location, ...p }) => p);
    assert.deepStrictEqual(rest(result.packages).filter((p) => p.key !== 'ms@1.0.0'), rest(good.packages).filter((p) => p.key !== 'ms@1.0.0'));
  });

  it('does not follow YAML aliases, and says so when an entry is one', async () => {
    const aliased = v9.text.replace('  ms@1.0.0: {}', '  ms@1.0.0: *x') + 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b]\n';
    const parsed = await parsePnpmLock(FILE, aliased);
    assert.deepStrictEqual(parsed.errors, [
      error(`${FILE} entry "ms@1.0.0" is not a map; it was skipped.`, keyLocation(FILE, aliased, 'ms@1.0.0', { section: 'snapshots' })),
      error(
        `${FILE} refers to 1 package that it does not list (first: "ms: 1.0.0" in importer "."); those dependencies were not followed. It may be truncated or edited by hand: ${REGENERATE}.`,
      ),
      error(`${FILE} uses YAML aliases (\`*name\`), which pnpm never writes; the values they stand for were ignored.`),
    ]);
    assert.equal(parsed.packages.length, good.packages.length - 1);
  });

  it('leaves the next file unaffected', async () => {
    assert.deepStrictEqual(await parsePnpmLock(FILE, v9.text), good);
  });

  it('lists at most 50 problems and then says how many more there were', async () => {
    const many = Array.from({ length: 60 }, (_, i) => `  bad${i}@1.0.0: 0\n`).join('');
    const errors = (await parsePnpmLock(FILE, insert(v9.text, many))).errors;
    assert.equal(errors.length, 51);
    // 60 entries that are not maps, and one summary of the 60 `packages` entries without a snapshot.
    assert.deepStrictEqual(errors[50], error(`${FILE} has 11 more problems like the ones above; they were not listed. R${REGENERATE.slice(1)}.`));
  });
});

describe('parsePnpmLock: huge files', () => {
  it('reads 10,000 entries added to a real lockfile', async function () {
    this.timeout(60_000);
    const packages = Array.from({ length: 10_000 }, (_, i) => `  extra-${i}@1.0.${i}:\n    resolution: {integrity: sha512-${i}}\n`).join('\n');
    const snapshots = Array.from({ length: 10_000 }, (_, i) => `  extra-${i}@1.0.${i}: {}\n`).join('\n');
    const result = await parsePnpmLock(FILE, insert(v9.text, `${packages}\n`, `${snapshots}\n`));
    assert.deepStrictEqual([result.errors, result.packages.length], [[], 10_000 + 59]);
    const last = result.packages.find((p) => p.key === 'extra-9999@1.0.9999');
    assert.equal(last && summarize(last), 'extra-9999@1.0.9999 extra-9999@1.0.9999 registry via extra-9999');
  });

  it('stops chains at 256 packages and says so, instead of using memory quadratic in their length', async function () {
    this.timeout(60_000);
    const packages = Array.from({ length: 1000 }, (_, i) => `  c${i}@1.0.0:\n    resolution: {integrity: sha512-c}\n`).join('\n');
    const snapshots = Array.from({ length: 1000 }, (_, i) => `  c${i}@1.0.0:\n    dependencies:\n      c${i + 1}: 1.0.0\n`).join('\n');
    const text = insert(v9.text, `${packages}\n`, `${snapshots}\n`).replace(
      '    dependencies:\n      core-js:',
      '    dependencies:\n      c0:\n        specifier: 1.0.0\n        version: 1.0.0\n      core-js:',
    );
    const result = await parsePnpmLock(FILE, text);
    assert.deepStrictEqual(result.errors, [
      error(`${FILE} has dependency chains longer than 256 packages; the packages deeper than that are listed without their chain.`),
    ]);
    const chained = result.packages.filter((p) => /^c\d+@/.test(p.key));
    assert.deepStrictEqual(chained[255].via, Array.from({ length: 256 }, (_, i) => `c${i}`));
    assert.deepStrictEqual([chained[256].via, chained[256].direct], [['c256'], false]);
  });
});
