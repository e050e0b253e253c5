import assert from 'node:assert/strict';
import { parseBunLock } from '../../../src/core/lockfile/bun';
import type { FileError, LockedPackage } from '../../../src/core/types';
import { bunKeyLocation, insertIntoBunPackages, readBunFixture } from './bun-fixtures';
import { locationOf, summarize } from './npm-fixtures';

const FILE = 'bun.lock';
const REWRITE = 'run `bun install --lockfile-only` to rewrite it';
const workspaces = readBunFixture('bun-workspaces');

async function parse(text: string): Promise<{ packages: readonly LockedPackage[]; errors: readonly FileError[]; lockfileVersion: number }> {
  return parseBunLock(FILE, text);
}

/** The error for an entry key, located at the key's first occurrence in the text. */
function entryError(text: string, key: string, problem: string): FileError {
  return { file: FILE, message: `bun.lock entry ${JSON.stringify(key)} ${problem}`, location: bunKeyLocation(FILE, text, key) };
}

/** A lockfileVersion 1 text with the given root dependencies and packages. */
function synthetic(rootDependencies: readonly string[], packages: readonly string[]): string {
  const deps = rootDependencies.map((n) => `"${n}": "*"`).join(', ');
  return `{\n  "lockfileVersion": 1,\n  "workspaces": {\n    "": { "dependencies": { ${deps} } },\n  },\n  "packages": {\n${packages.map((p) => `    ${p},\n`).join('')}  }\n}\n`;
}

describe('parseBunLock: malformed files', () => {
  it('reports an empty file and returns nothing', async () => {
    for (const text of ['', ' \n\t']) {
      assert.deepStrictEqual(await parseBunLock(FILE, text), {
        file: FILE,
        format: 'bun',
        lockfileVersion: 0,
        packages: [],
        workspaces: [],
        errors: [{ file: FILE, message: `bun.lock is empty; ${REWRITE}.` }],
      });
    }
  });

  it('reports JSON that is not an object', async () => {
    assert.deepStrictEqual((await parseBunLock('app/bun.lock', '[1]')).errors, [
      {
        file: 'app/bun.lock',
        message: 'bun.lock does not hold a JSON object, so it is not a bun.lock.',
        location: { file: 'app/bun.lock', offset: 0, length: 3, line: 1, column: 1 },
      },
    ]);
  });

  it('reports the first syntax error where it is and still reads every entry', async () => {
    const good = await parse(workspaces.text);
    const text = workspaces.text.replace(/("debug": \[[^\n]*\]),\n/, '$1\n');
    const at = { ...locationOf(FILE, text, '"is-number": ['), length: '"is-number"'.length };
    assert.deepStrictEqual((await parse(text)).errors, [
      {
        file: FILE,
        message: `bun.lock is not valid JSONC: CommaExpected at line ${at.line}, column ${at.column}. The entries that could be read were used; ${REWRITE}.`,
        location: at,
      },
    ]);
    assert.deepStrictEqual((await parse(text)).packages.map(summarize), good.packages.map(summarize));
  });

  it('reads a truncated file up to the cut, says it looks truncated, and reports no missing dependency', async () => {
    const text = workspaces.text.slice(0, workspaces.text.indexOf('"is-odd": ['));
    const lines = text.split('\n');
    const end = { file: FILE, offset: text.length, length: 0, line: lines.length, column: lines[lines.length - 1].length + 1 };
    const result = await parse(text);
    assert.deepStrictEqual(result.errors, [
      { file: FILE, message: `bun.lock ends unexpectedly at line ${end.line}, column ${end.column}: it looks truncated. The entries that could be read were used; ${REWRITE}.`, location: end },
    ]);
    assert.deepStrictEqual(result.packages.map((p) => p.key), ['@fx/a', '@fx/b', 'debug', 'is-number']);
  });

  it('allows comments, as Bun\'s JSONC reader does', async () => {
    const text = workspaces.text.replace('"packages": {\n', '"packages": {\n    // added by hand\n    /* and a block */\n');
    const result = await parse(text);
    assert.deepStrictEqual([result.errors, result.packages.length], [[], 10]);
  });

  it('reads an unknown lockfileVersion best-effort and says so; a control with version 2 has no error', async () => {
    const text = workspaces.text.replace('"lockfileVersion": 2', '"lockfileVersion": 9');
    const result = await parse(text);
    assert.deepStrictEqual(result.errors, [
      {
        file: FILE,
        message:
          'bun.lock has lockfileVersion 9, which this version of Dependency Risk does not know (it reads 0, 1, 2 and 3); it was read as best it could be, and packages may be missing. Update Dependency Risk.',
        location: locationOf(FILE, text, '9'),
      },
    ]);
    const good = await parse(workspaces.text);
    assert.deepStrictEqual([result.lockfileVersion, result.packages], [9, good.packages]);
    assert.deepStrictEqual(good.errors, []);
  });

  it('reports a missing or non-numeric lockfileVersion as version 0', async () => {
    const missing = await parse(workspaces.text.replace('"lockfileVersion": 2,', ''));
    assert.deepStrictEqual([missing.lockfileVersion, missing.errors], [
      0,
      [{ file: FILE, message: `bun.lock has no lockfileVersion; it was read as best it could be, and packages may be missing. To fix it, ${REWRITE}.` }],
    ]);
    const text = workspaces.text.replace('"lockfileVersion": 2', '"lockfileVersion": "2"');
    assert.deepStrictEqual((await parse(text)).errors, [
      {
        file: FILE,
        message: `bun.lock has a lockfileVersion that is not a number; it was read as best it could be, and packages may be missing. To fix it, ${REWRITE}.`,
        location: locationOf(FILE, text, '"2"'),
      },
    ]);
  });

  it('reports a "workspaces" that is not an object, and still lists every package', async () => {
    const text = workspaces.text.replace('"workspaces": {', '"workspaces": [], "unused": {');
    const result = await parse(text);
    assert.deepStrictEqual(result.errors, [
      { file: FILE, message: 'bun.lock has a "workspaces" that is not an object; no dependency was taken as direct.', location: locationOf(FILE, text, '[]') },
    ]);
    // Only the workspace links stay direct (Bun links them into the root's node_modules); their versions were in "workspaces".
    assert.deepStrictEqual(
      [result.packages.length, result.packages.filter((p) => p.direct).map(summarize)],
      [10, ['@fx/a @fx/a@ workspace [direct] via @fx/a', '@fx/b @fx/b@ workspace [direct] via @fx/b']],
    );
  });

  it('reports a file nested too deeply for the parser instead of throwing', async () => {
    const result = await parse(`{"lockfileVersion":1,"workspaces":{"":{}},"packages":{"a":["a@1.0.0","",${'['.repeat(1_000_000)}`);
    assert.deepStrictEqual(result.packages, []);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0].message, /^bun\.lock is nested too deeply to read \(.+\); none of its packages were checked\.$/);
  });

  it('ignores a byte-order mark and counts lines the same with CRLF line endings', async () => {
    const good = await parse(workspaces.text);
    for (const text of [`\uFEFF${workspaces.text}`, workspaces.text.replace(/\n/g, '\r\n')]) {
      const result = await parse(text);
      assert.deepStrictEqual(result.errors, []);
      for (const [i, p] of result.packages.entries()) {
        assert.deepStrictEqual(p.location, bunKeyLocation(FILE, text, p.key));
        assert.equal(p.location?.line, good.packages[i].location?.line);
      }
    }
  });
});

describe('parseBunLock: hostile and unusable entries', () => {
  it('skips keys that are not paths of package names, and keeps `constructor` as the plain name it is', async () => {
    const text = insertIntoBunPackages(
      workspaces.text,
      [
        '    "__proto__": ["__proto__@1.0.0", "", {}, "sha512-x"],',
        '    "constructor": ["constructor@1.0.0", "", {}, "sha512-x"],',
        '    "../../etc": ["x@1.0.0", "", {}, "sha512-x"],',
        '    "a//b": ["x@1.0.0", "", {}, "sha512-x"],',
        '',
      ].join('\n'),
    );
    const result = await parse(text);
    assert.deepStrictEqual(result.errors, [
      entryError(text, '__proto__', 'is not a path of package names ("__proto__" is not one); it was skipped.'),
      entryError(text, '../../etc', 'is not a path of package names (".." is not one); it was skipped.'),
      entryError(text, 'a//b', 'is not a path of package names ("" is not one); it was skipped.'),
    ]);
    assert.deepStrictEqual(result.packages.find((p) => p.key === 'constructor'), {
      name: 'constructor',
      version: '1.0.0',
      key: 'constructor',
      integrity: 'sha512-x',
      dev: false,
      optional: false,
      peer: false,
      direct: false,
      source: 'registry',
      via: ['constructor'],
      workspace: '',
      location: bunKeyLocation(FILE, text, 'constructor'),
    });
    assert.equal(({} as Record<string, unknown>).version, undefined);
  });

  it('reports entries that are not "name@resolution" arrays, lack parts, or hold a resolution Bun never writes', async () => {
    const text = insertIntoBunPackages(
      workspaces.text,
      ['    "y": ["../y@1.0.0", "", {}, "sha512-x"],', '    "z": {},', '    "w": [],', '    "v": ["v@1.0.0", ""],', '    "u": ["u@latest", "", {}, "sha512-x"],', ''].join('\n'),
    );
    const result = await parse(text);
    assert.deepStrictEqual(result.errors, [
      entryError(text, 'y', 'does not start with a valid "name@resolution" ("../y@1.0.0"); it was skipped.'),
      { file: FILE, message: 'bun.lock entry "z" is not an array that starts with "name@resolution"; it was skipped.', location: { ...locationOf(FILE, text, '"z": {'), length: 3 } },
      entryError(text, 'w', 'is not an array that starts with "name@resolution"; it was skipped.'),
      entryError(text, 'v', 'has no dependencies object; its dependencies were not followed.'),
      entryError(text, 'v', `lacks its registry or integrity string, so Bun would refuse to load it; ${REWRITE}.`),
      entryError(text, 'u', 'has a resolution Bun does not write, "latest"; it is listed as an invalid source.'),
    ]);
    assert.deepStrictEqual(
      result.packages.filter((p) => ['v', 'u'].includes(p.key)).map(summarize),
      ['v v@1.0.0 registry via v', 'u u@latest invalid via u'],
    );
  });

  it('uses the last of two entries with the same key, as JSON readers do, and says so', async () => {
    const text = insertIntoBunPackages(workspaces.text, '    "react": ["react@18.0.0", "", {}, "sha512-x"],\n');
    const result = await parse(text);
    const second = locationOf(FILE, text, '"react": [', text.indexOf('"react": [') + 1);
    assert.deepStrictEqual(result.errors, [{ file: FILE, message: 'bun.lock lists "react" more than once in "packages"; the last one was used.', location: { ...second, length: 7 } }]);
    assert.deepStrictEqual(result.packages.filter((p) => p.name === 'react').map((p) => p.version), ['19.3.1']);
  });

  it('reports a required dependency bun.lock does not list (Bun would refuse the file), but not a missing optional peer', async () => {
    const text = workspaces.text.replace(/\n {4}"debug": \[.*\n/, '\n');
    assert.deepStrictEqual((await parse(text)).errors, [
      { file: FILE, message: `bun.lock: the root depends on "debug", which bun.lock does not list, so Bun would refuse to load it; ${REWRITE}.` },
    ]);
    // debug's optional peer supports-color is not in the fixture either, and that is fine.
    assert.deepStrictEqual((await parse(workspaces.text)).errors, []);
  });

  it('caps the errors of one file and says how many more there were', async () => {
    const bad = Array.from({ length: 80 }, (_, i) => `    "bad${i}": {},`).join('\n');
    const errors = (await parse(insertIntoBunPackages(workspaces.text, `${bad}\n`))).errors;
    assert.equal(errors.length, 51);
    assert.deepStrictEqual(errors[50], { file: FILE, message: `bun.lock has 30 more problems like the ones above; they were not listed. To fix them, ${REWRITE}.` });
  });
});

describe('parseBunLock: git merge conflicts', () => {
  it('reads both sides of a conflict, reports the first marker, and parses the other entries once', async () => {
    const line = workspaces.text.split('\n').find((l) => l.startsWith('    "react": ['));
    assert.ok(line);
    const theirs = line.replace('react@19.3.1', 'react@19.2.0');
    const text = workspaces.text.replace(`${line}\n`, `<<<<<<< HEAD\n${line}\n=======\n${theirs}\n>>>>>>> feature/react\n`);
    const result = await parse(text);
    assert.deepStrictEqual(result.errors, [
      {
        file: FILE,
        message:
          'bun.lock contains git merge-conflict markers; both sides were read. Resolve the conflict (`bun install` rewrites bun.lock once package.json is merged) and commit the result.',
        location: { ...locationOf(FILE, text, '<<<<<<< HEAD'), length: 12 },
      },
    ]);
    assert.deepStrictEqual(
      result.packages.filter((p) => p.name === 'react').map((p) => [p.version, p.location?.line]),
      [
        ['19.3.1', locationOf(FILE, text, line).line],
        ['19.2.0', locationOf(FILE, text, theirs).line],
      ],
    );
    assert.equal(result.packages.length, 11);
  });
});

describe('parseBunLock: hostile sizes', () => {
  it('lists packages deeper than the chain cap without their chain, and says so', async () => {
    const n = 300;
    const packages = Array.from({ length: n }, (_, i) => `"p${i}": ["p${i}@1.0.0", "", { "dependencies": { "p${i + 1}": "*" } }, "sha512-x"]`);
    const result = await parse(synthetic(['p0'], packages));
    assert.deepStrictEqual(result.errors, [
      // The last package's dependency was left out on purpose.
      { file: FILE, message: `bun.lock: package "p299" depends on "p300", which bun.lock does not list, so Bun would refuse to load it; ${REWRITE}.` },
      { file: FILE, message: 'bun.lock has dependency chains longer than 256 packages; the packages deeper than that are listed without their chain.' },
    ]);
    assert.equal(result.packages[255].via.length, 256);
    assert.deepStrictEqual([result.packages[256].via, result.packages[256].direct], [['p256'], false]);
  });

  it('skips a key nested deeper than Bun could install, and resolves through deep keys without building paths per edge', async () => {
    const deep = Array.from({ length: 300 }, () => 'a').join('/');
    const chain = Array.from({ length: 200 }, (_, i) => Array.from({ length: i + 1 }, () => 'a').join('/'));
    const fanOut = Array.from({ length: 2000 }, (_, i) => `"d${i}": "*"`).join(', ');
    const packages = [
      `"${deep}": ["a@1.0.0", "", {}, "sha512-x"]`,
      ...chain.map((key, i) => `"${key}": ["a@1.0.${i}", "", { ${i === chain.length - 1 ? `"optionalDependencies": { ${fanOut} }` : '"dependencies": { "a": "*" }'} }, "sha512-x"]`),
    ];
    const text = synthetic(['a'], packages);
    const result = await parse(text);
    assert.deepStrictEqual(result.errors, [
      {
        file: FILE,
        message: `bun.lock entry "${deep.slice(0, 60)}…(599 characters)" nests packages more than 256 deep; it was skipped.`,
        location: bunKeyLocation(FILE, text, deep),
      },
    ]);
    assert.equal(result.packages.length, 200);
    assert.equal(result.packages[199].via.length, 200);
  });

  it('parses a large flat lockfile (20,000 packages) and a good one afterwards, with no state carried over', async () => {
    const n = 20_000;
    const packages = Array.from({ length: n }, (_, i) => `"q${i}": ["q${i}@1.0.0", "", { "dependencies": { "q${(i * 7 + 1) % n}": "*" } }, "sha512-x"]`);
    const big = await parse(synthetic(['q0'], packages));
    assert.deepStrictEqual([big.errors, big.packages.length], [[], n]);
    assert.deepStrictEqual(await parse(workspaces.text), await parse(workspaces.text));
    assert.deepStrictEqual((await parse(workspaces.text)).errors, []);
  });
});
