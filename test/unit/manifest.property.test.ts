/** parseManifest and classifySpec on random and mutated package.json files (issue 7): never throw, stay bounded, pollute nothing. */

import assert from 'node:assert/strict';
import { parseManifest } from '../../src/core/manifest';
import { classifySpec } from '../../src/core/spec';
import { isValidPackageName } from '../../src/core/registry/package-name';
import type { Manifest } from '../../src/core/types';
import {
  assertLocationsWithin,
  assertNoPollution,
  assertPlainData,
  check,
  fc,
  fixtureTexts,
  hostileJson,
  hostileString,
  mutated,
  prototypeSnapshot,
  timed,
} from '../support/property';

const FILE = 'packages/a/package.json';
const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'overrides', 'allowScripts', 'workspaces'];

/** Every package.json among the fixtures: what real projects write. */
const manifests = [...fixtureTexts('projects', (f) => f === 'package.json'), ...fixtureTexts('lockfiles', (f) => f === 'package.json'), ...fixtureTexts('workspaces', (f) => f === 'package.json')].map((f) => f.text);

/** A package.json written as hands and tools write it: comments, trailing commas, BOM, CRLF, duplicate keys, odd values. */
const handWritten: fc.Arbitrary<string> = fc
  .record({
    sections: fc.array(
      fc.tuple(
        fc.constantFrom(...SECTIONS, 'name', 'version', 'packageManager'),
        fc.oneof(
          { weight: 3, arbitrary: fc.array(fc.tuple(hostileString, fc.oneof(hostileString, hostileJson)), { maxLength: 6 }) },
          { weight: 1, arbitrary: hostileJson },
        ),
      ),
      { maxLength: 6 },
    ),
    bom: fc.boolean(),
    crlf: fc.boolean(),
    comments: fc.boolean(),
    trailingCommas: fc.boolean(),
  })
  .map(({ sections, bom, crlf, comments, trailingCommas }) => {
    const value = (v: unknown) => JSON.stringify(v) ?? 'null';
    const body = sections.map(([key, content]) => {
      const inner = Array.isArray(content) && content.every((c) => Array.isArray(c) && c.length === 2)
        ? `{${(content as [string, unknown][]).map(([k, v]) => `${comments ? '/* c */ ' : ''}${value(k)}: ${value(v)}`).join(', ')}${trailingCommas && content.length > 0 ? ',' : ''}}`
        : value(content);
      return `  ${value(key)}: ${inner}`;
    });
    const text = `{\n${comments ? '  // written by hand\n' : ''}${body.join(',\n')}${trailingCommas && body.length > 0 ? ',' : ''}\n}\n`;
    return `${bom ? '\uFEFF' : ''}${crlf ? text.replace(/\n/g, '\r\n') : text}`;
  });

const packageJsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: mutated(fc.constantFrom(...manifests)) },
  { weight: 3, arbitrary: handWritten },
  { weight: 1, arbitrary: mutated(handWritten, 3) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
);

function countQuotes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 34) n++;
  return n;
}

/** The invariants of one parse: the result is plain bounded data, located inside the text, with errors that name the file. */
function assertSoundManifest(m: Manifest, text: string): void {
  assertPlainData(m);
  assert.equal(m.file, FILE);
  // Every dependency needs a key string and a value string: four quote characters.
  assert.ok(m.dependencies.length * 4 <= countQuotes(text), `${m.dependencies.length} dependencies from ${countQuotes(text)} quotes`);
  assert.ok(m.errors.length <= text.length + 1, `${m.errors.length} errors from ${text.length} characters`);
  for (const e of m.errors) {
    assert.equal(e.file, FILE);
    assert.ok(e.message.startsWith(FILE), e.message);
  }
  assertLocationsWithin([...m.errors.map((e) => e.location), ...m.dependencies.flatMap((d) => [d.nameLocation, d.specLocation]), m.overridesLocation], text);
  for (const d of m.dependencies) {
    assert.equal(d.range !== undefined, d.source === 'registry');
    if (d.source === 'registry') assert.ok(d.registryName === d.name || isValidPackageName(d.registryName), d.registryName);
  }
}

describe('parseManifest: property tests (issue 7)', () => {
  const before = prototypeSnapshot();
  after(() => assertNoPollution(before));

  it('never throws on random, hand-written and mutated package.json files, and returns bounded plain data', () => {
    check(
      fc.property(packageJsonText, (text) => {
        const m = timed('parseManifest', () => parseManifest(FILE, text));
        assertSoundManifest(m, text);
        assert.deepStrictEqual(parseManifest(FILE, text), m, 'the same text parses the same');
      }),
      300,
    );
  });

  it('reads the same dependencies whatever the line endings, BOM, comments and trailing commas (control)', () => {
    check(
      fc.property(fc.constantFrom(...manifests), fc.boolean(), fc.boolean(), (text, bom, crlf) => {
        const variant = `${bom ? '\uFEFF' : ''}${crlf ? text.replace(/\r?\n/g, '\r\n') : text}`.replace(/\{\n/, '{\n  // comment\n');
        const plain = parseManifest(FILE, text);
        const varied = timed('parseManifest', () => parseManifest(FILE, variant));
        assert.deepStrictEqual(varied.errors, []);
        assert.deepStrictEqual(varied.dependencies.map((d) => [d.name, d.spec, d.kind]), plain.dependencies.map((d) => [d.name, d.spec, d.kind]));
        for (const d of varied.dependencies) assert.equal(variant.slice(d.specLocation.offset, d.specLocation.offset + d.specLocation.length), JSON.stringify(d.spec));
      }),
      40,
    );
  });
});

describe('classifySpec: property tests (issue 7)', () => {
  const before = prototypeSnapshot();
  after(() => assertNoPollution(before));

  it('classifies any name and spec without throwing, naming a valid package for every registry spec', () => {
    const spec = fc.oneof(
      hostileString,
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.tuple(fc.constantFrom('npm:', 'workspace:', 'file:', 'link:', 'git+', 'github:', 'https://', 'http://', '^', '~', '>=', ''), hostileString).map(([a, b]) => a + b),
    );
    check(
      fc.property(hostileString, spec, (name, value) => {
        const classified = timed('classifySpec', () => classifySpec(name, value));
        assertPlainData(classified);
        assert.ok(['registry', 'git', 'file', 'link', 'url', 'workspace', 'invalid'].includes(classified.source));
        assert.equal(classified.range !== undefined, classified.source === 'registry');
        if (classified.registryName !== name) assert.ok(isValidPackageName(classified.registryName), classified.registryName);
        assert.ok((classified.range ?? '').length <= value.length + 1);
      }),
      500,
    );
  });
});
