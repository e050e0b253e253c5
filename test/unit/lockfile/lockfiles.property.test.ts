/** parsePnpmLock, parseYarnLock and parseBunLock on random and mutated real lockfiles (issue 7): never throw, stay bounded, pollute nothing. */

import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { parseBunLock } from '../../../src/core/lockfile/bun';
import { MAX_CHAIN } from '../../../src/core/lockfile/npm-graph';
import { parsePnpmLock } from '../../../src/core/lockfile/pnpm';
import type { ImporterManifest } from '../../../src/core/lockfile/types';
import { parseYarnLock } from '../../../src/core/lockfile/yarn';
import type { Lockfile, LockfileFormat } from '../../../src/core/types';
import {
  applyMutation,
  assertLocationsWithin,
  assertNoPollution,
  assertPlainData,
  assertWellFormed,
  checkAsync,
  fc,
  fixtureTexts,
  hostileString,
  mutation,
  prototypeSnapshot,
  timedAsync,
  type Mutation,
} from '../../support/property';

/** Text that breaks YAML, Syml and JSONC files the way attackers and broken tools do. */
const FRAGMENTS: readonly string[] = [
  '\n"__proto__@1.0.0":\n  version: 1.0.0\n',
  '\n__proto__:\n  polluted: true\n',
  '\nconstructor:\n  prototype:\n    polluted: true\n',
  '\n  /__proto__@1.0.0:\n    resolution: {integrity: sha512-x}\n',
  '\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
  '\n<<: *a\n',
  '\nx: !!js/function "function () { globalThis.polluted = true }"\n',
  '\nx: !!python/object/apply:os.system ["id"]\n',
  '\n? [a, b]\n: c\n',
  '\n---\n',
  '\n...\n',
  '\n\tversion: 1.0.0\n',
  `\n${' '.repeat(4000)}x: 1\n`,
  '\n'.repeat(500),
  '\n<<<<<<< HEAD\n',
  '\n=======\n',
  '\n>>>>>>> theirs\n',
  '\n"node_modules/../../x@1.0.0":\n  version: 1.0.0\n',
  '\nlockfileVersion: 99\n',
  '\n__metadata:\n  version: 99\n',
  '\n# yarn lockfile v99\n',
  '["__proto__", "constructor", {"polluted": true}],',
  '"lockfileVersion": 99,',
  '[['.repeat(100),
  '{'.repeat(100),
  '\uFEFF',
  '\r\n',
  '\u0000',
];

const fragmentMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: mutation },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...FRAGMENTS), hostileString) }) },
);

interface Format {
  readonly format: LockfileFormat | 'yarn';
  readonly file: string;
  readonly parse: (file: string, text: string, importers?: readonly ImporterManifest[]) => Promise<Lockfile>;
  readonly fixtures: readonly { readonly text: string; readonly importers: readonly ImporterManifest[] }[];
  /** Runs per property: the YAML reader is the slowest, and the suite must stay fast. */
  readonly runs: number;
}

/** The fixture's package.json as the root importer (the parsers read only its dependency sections). */
function importersOf(kind: string, name: string): ImporterManifest[] {
  const manifest = fixtureTexts(kind, (f) => f === 'package.json').find((f) => f.name === `${dirname(name)}/package.json`);
  if (!manifest) return [];
  const json = JSON.parse(manifest.text) as Omit<ImporterManifest, 'path'>;
  return [{ path: '', dependencies: json.dependencies, devDependencies: json.devDependencies, optionalDependencies: json.optionalDependencies, peerDependencies: json.peerDependencies }];
}

function fixturesOf(lockfile: string) {
  return fixtureTexts('lockfiles', (f) => f === lockfile).map((f) => ({ text: f.text, importers: importersOf('lockfiles', f.name) }));
}

const FORMATS: readonly Format[] = [
  { format: 'pnpm', file: 'pnpm-lock.yaml', parse: parsePnpmLock, fixtures: fixturesOf('pnpm-lock.yaml'), runs: 40 },
  { format: 'yarn', file: 'yarn.lock', parse: parseYarnLock, fixtures: fixturesOf('yarn.lock'), runs: 60 },
  { format: 'bun', file: 'bun.lock', parse: parseBunLock, fixtures: fixturesOf('bun.lock'), runs: 120 },
];

/** Per-file error cap (50 and a "more problems" line) on each side of a conflict, plus the conflict's own error. */
const MAX_ERRORS = 2 * 51 + 1;

function assertSoundLockfile(result: Lockfile, text: string, format: Format, file: string): void {
  assertPlainData(result);
  assert.equal(result.file, file);
  if (format.format === 'yarn') assert.ok(result.format === 'yarn-classic' || result.format === 'yarn-berry', result.format);
  else assert.equal(result.format, format.format);
  assert.ok(Number.isFinite(result.lockfileVersion), String(result.lockfileVersion));
  assert.ok(result.errors.length <= MAX_ERRORS, `${result.errors.length} errors`);
  // The smallest entry of any format takes more than 8 characters; a conflict can hold two sides of one.
  assert.ok(result.packages.length <= Math.ceil(text.length / 4), `${result.packages.length} packages from ${text.length} characters`);
  for (const e of result.errors) {
    assert.equal(e.file, file);
    assert.ok(e.message.includes(format.file), e.message);
    assertWellFormed(e.message);
  }
  for (const p of result.packages) assert.ok(p.via.length >= 1 && p.via.length <= MAX_CHAIN, `via of ${p.via.length}`);
  assertLocationsWithin([...result.errors.map((e) => e.location), ...result.packages.map((p) => p.location)], text);
}

for (const format of FORMATS) {
  describe(`${format.file} parser: property tests (issue 7)`, () => {
    const prototypes = prototypeSnapshot();
    after(() => assertNoPollution(prototypes));
    const file = `app/${format.file}`;

    it('has real fixtures to mutate (control)', () => {
      assert.ok(format.fixtures.length >= 3, `${format.fixtures.length} fixtures`);
    });

    it('never throws on mutated real lockfiles, and returns bounded plain data with the file named in every error', async () => {
      const sample = fc.tuple(fc.nat(format.fixtures.length - 1), fc.array(fragmentMutation, { minLength: 1, maxLength: 6 }), fc.boolean());
      await checkAsync(
        fc.asyncProperty(sample, async ([index, mutations, withImporters]) => {
          const fixture = format.fixtures[index]!;
          const text = mutations.reduce(applyMutation, fixture.text);
          const importers = withImporters ? fixture.importers : undefined;
          const result = await timedAsync(format.file, () => format.parse(file, text, importers));
          assertSoundLockfile(result, text, format, file);
        }),
        format.runs,
      );
    });

    it('never throws on random text, hostile importers included', async () => {
      const importers = fc.array(
        fc.record({ path: fc.oneof(fc.constant(''), hostileString), dependencies: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }) }),
        { maxLength: 3 },
      );
      await checkAsync(
        fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 6 }).map((parts) => parts.join(''))), importers, async (text, manifests) => {
          const result = await timedAsync(format.file, () => format.parse(file, text, manifests));
          assertSoundLockfile(result, text, format, file);
        }),
        format.runs,
      );
    });
  });
}
