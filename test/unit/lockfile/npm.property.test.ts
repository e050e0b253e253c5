/** parseNpmLock on random and mutated real lockfiles (issue 7): never throws, stays bounded, pollutes nothing, names the file in every error. */

import assert from 'node:assert/strict';
import { MAX_CHAIN } from '../../../src/core/lockfile/npm-graph';
import { parseNpmLock, type RootManifest } from '../../../src/core/lockfile/npm';
import type { Lockfile } from '../../../src/core/types';
import {
  applyJsonEdits,
  assertLocationsWithin,
  assertNoPollution,
  assertPlainData,
  assertWellFormed,
  check,
  fc,
  fixtureTexts,
  hostileJson,
  hostileString,
  jsonEdit,
  mutated,
  prototypeSnapshot,
  timed,
} from '../../support/property';

const FILE = 'sub/package-lock.json';
const fixtures = [
  ...fixtureTexts('lockfiles', (f) => f === 'package-lock.json' || f === 'npm-shrinkwrap.json'),
  ...fixtureTexts('projects', (f) => f === 'package-lock.json'),
].map((f) => f.text);

/** The fixtures re-written after random edits to their parsed JSON (hostile keys, wrong types, removed fields). */
const editedJson: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...fixtures), fc.array(jsonEdit, { minLength: 1, maxLength: 8 }), fc.constantFrom(0, 2))
  .map(([text, edits, indent]) => JSON.stringify(applyJsonEdits(JSON.parse(text), edits), null, indent));

/** Hand-made lockfiles whose `packages` keys and entries are hostile. */
const hostileLockfile: fc.Arbitrary<string> = fc
  .record({
    lockfileVersion: fc.oneof(fc.constantFrom(1, 2, 3, 4, 0, -1, 1.5, '3', null), hostileJson),
    packages: fc.array(
      fc.tuple(
        fc.oneof(hostileString, hostileString.map((s) => `node_modules/${s}`), fc.constantFrom('', 'node_modules/a', 'node_modules/a/node_modules/b', 'packages/x', '../outside')),
        fc.oneof(
          fc.record(
            {
              version: fc.oneof(fc.constantFrom('1.0.0', '2.0.0-beta.1'), hostileString),
              resolved: fc.oneof(fc.constantFrom('https://registry.npmjs.org/a/-/a-1.0.0.tgz', 'file:../..', 'packages/x', 'git+ssh://git@github.com/a/b.git'), hostileString),
              link: fc.boolean(),
              dev: fc.boolean(),
              hasInstallScript: fc.oneof(fc.boolean(), hostileJson),
              dependencies: fc.dictionary(fc.oneof(hostileString, fc.constantFrom('a', 'b')), hostileString, { maxKeys: 4 }),
              workspaces: fc.array(fc.oneof(hostileString, fc.constantFrom('packages/*', '**', '*')), { maxLength: 3 }),
            },
            { requiredKeys: [] },
          ),
          hostileJson,
        ),
      ),
      { maxLength: 10 },
    ),
    legacy: fc.boolean(),
  })
  .map(({ lockfileVersion, packages, legacy }) => {
    const body = packages.map(([key, value]) => `${JSON.stringify(legacy ? key.replace(/^node_modules\//, '') : key)}: ${JSON.stringify(value) ?? 'null'}`).join(',\n    ');
    return `{\n  "name": "x",\n  "lockfileVersion": ${JSON.stringify(lockfileVersion) ?? 'null'},\n  "${legacy ? 'dependencies' : 'packages'}": {\n    ${body}\n  }\n}\n`;
  });

const lockfileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: mutated(fc.constantFrom(...fixtures)) },
  { weight: 3, arbitrary: editedJson },
  { weight: 3, arbitrary: hostileLockfile },
  { weight: 1, arbitrary: mutated(hostileLockfile, 3) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
);

/** package.json as the audit hands it over: typed as records, but any JSON in practice. */
const rootManifest: fc.Arbitrary<RootManifest | undefined> = fc.option(
  hostileJson.map((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as RootManifest) : { dependencies: { a: '1.0.0' } })),
  { nil: undefined },
);

/**
 * Per-file error cap (npm-entry's MAX_ERRORS 50, plus the "more problems" line), twice for the two
 * sides of a merge conflict, plus the conflict's own error.
 */
const MAX_ERRORS = 2 * 51 + 1;

function assertSoundLockfile(result: Lockfile, text: string): void {
  assertPlainData(result);
  assert.equal(result.file, FILE);
  assert.equal(result.format, 'npm');
  assert.ok(Number.isSafeInteger(result.lockfileVersion), String(result.lockfileVersion));
  assert.ok(result.errors.length <= MAX_ERRORS, `${result.errors.length} errors`);
  // The smallest usable entry, `"x":{"version":""}`, takes 18 characters; a conflict can hold two sides of one.
  assert.ok(result.packages.length <= Math.ceil(text.length / 9), `${result.packages.length} packages from ${text.length} characters`);
  assert.ok(result.workspaces.length <= text.length / 4);
  for (const e of result.errors) {
    assert.equal(e.file, FILE);
    assert.ok(e.message.startsWith('package-lock.json '), e.message);
    assertWellFormed(e.message);
  }
  for (const p of result.packages) {
    assert.ok(p.via.length >= 1 && p.via.length <= MAX_CHAIN, `via of ${p.via.length}`);
    assert.ok(!p.key.split('/').includes('..') || p.source === 'link' || p.source === 'workspace', p.key);
  }
  assertLocationsWithin([...result.errors.map((e) => e.location), ...result.packages.map((p) => p.location)], text);
}

describe('parseNpmLock: property tests (issue 7)', () => {
  const before = prototypeSnapshot();
  after(() => assertNoPollution(before));

  it('never throws on random, edited and mutated lockfiles, and returns bounded plain data with the file named in every error', () => {
    check(
      fc.property(lockfileText, rootManifest, (text, manifest) => {
        const result = timed('parseNpmLock', () => parseNpmLock(FILE, text, manifest));
        assertSoundLockfile(result, text);
        assert.deepStrictEqual(parseNpmLock(FILE, text, manifest), result, 'the same text parses the same');
      }),
      250,
    );
  });

  it('reads every package of a real lockfile when part of it sits in a merge conflict against nothing', () => {
    check(
      fc.property(fc.constantFrom(...fixtures), fc.nat(), fc.nat(), (text, a, b) => {
        const lines = text.split('\n');
        const [from, to] = [a % lines.length, b % lines.length].sort((x, y) => x - y) as [number, number];
        const conflicted = [...lines.slice(0, from), '<<<<<<< HEAD', ...lines.slice(from, to), '=======', '>>>>>>> theirs', ...lines.slice(to)].join('\n');
        const whole = parseNpmLock(FILE, text);
        const result = timed('parseNpmLock', () => parseNpmLock(FILE, conflicted));
        assertSoundLockfile(result, conflicted);
        assert.match(result.errors[0]?.message ?? '', /merge-conflict markers/);
        // "ours" is the whole file; "theirs" lacks the lines in conflict, so it may add broken variants of some entries.
        const read = new Set(result.packages.map((p) => `${p.key}@${p.version}`));
        assert.deepStrictEqual(whole.packages.map((p) => `${p.key}@${p.version}`).filter((id) => !read.has(id)), []);
      }),
      40,
    );
  });

  it('takes a key that walks out of the project, a prototype key or a lone surrogate for a bad entry, and keeps the rest (examples)', () => {
    const text = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { a: '1.0.0' } },
        'node_modules/../../x': { version: '1.0.0' },
        'node_modules/\ud800': { version: '1.0.0' },
        'node_modules/a': { version: '1.0.0', dependencies: { '\udc00': '1', __proto__: '1', constructor: '1' } },
        'node_modules/constructor': { version: '1.0.0' },
      },
    });
    const result = parseNpmLock(FILE, text);
    assert.deepStrictEqual(result.packages.map((p) => `${p.key} ${p.via.join('>')}`), ['node_modules/a a', 'node_modules/constructor a>constructor']);
    assert.deepStrictEqual(result.errors.map((e) => e.message.split(' ').slice(0, 3).join(' ')), ['package-lock.json entry "node_modules/../../x"', 'package-lock.json entry "node_modules/\\ud800"']);
  });
});
