/** PackumentFilter: the filtered document gives buildHistory what the whole one gives, whatever the chunking; broken documents stay broken. */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHistory } from '../../../src/core/history';
import { PackumentFilter, type FilterResult } from '../../../src/core/registry/packument-filter';

const FIXTURE_DIRS = [join(__dirname, '..', '..', 'fixtures', 'packuments'), join(__dirname, '..', '..', 'fixtures', 'registry-client')];

function filter(text: string, chunkSize = Infinity): FilterResult {
  const bytes = Buffer.from(text, 'utf8');
  const f = new PackumentFilter();
  for (let i = 0; i < bytes.length; i += chunkSize) f.write(bytes.subarray(i, Math.min(bytes.length, i + chunkSize)));
  return f.end();
}

function filtered(text: string, chunkSize = Infinity): unknown {
  const result = filter(text, chunkSize);
  if (!result.ok) throw new Error(result.message);
  return JSON.parse(result.text);
}

const fixtures = FIXTURE_DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') })),
);

/** The package name buildHistory is asked about: the document's own, or the file's. */
function nameOf(fixture: { file: string; text: string }): string {
  const doc: unknown = JSON.parse(fixture.text);
  const name = typeof doc === 'object' && doc !== null && 'name' in doc ? doc.name : undefined;
  return typeof name === 'string' ? name : fixture.file.replace(/\.json$/, '').replace('__', '/');
}

describe('PackumentFilter', () => {
  describe('gives buildHistory the same history as the whole document', () => {
    for (const fixture of fixtures) {
      it(`for ${fixture.file}, in chunks of 1, 7, 256 bytes and whole`, () => {
        const name = nameOf(fixture);
        const expected = buildHistory(name, JSON.parse(fixture.text));
        for (const size of [1, 7, 256, Infinity]) assert.deepStrictEqual(buildHistory(name, filtered(fixture.text, size)), expected, `chunk size ${size}`);
      });
    }

    it('for random packument-shaped documents (odd whitespace, escapes, duplicates, non-ASCII, wrong types)', () => {
      const random = seeded(20251125);
      for (let i = 0; i < 300; i++) {
        const text = randomPackument(random);
        const expected = buildHistory('pkg', JSON.parse(text));
        for (const size of [1, 5, 64, Infinity]) assert.deepStrictEqual(buildHistory('pkg', filtered(text, size)), expected, `document ${i}, chunk size ${size}:\n${text}`);
      }
    });
  });

  it('drops what buildHistory never reads: readmes, dependencies, descriptions, signatures, other scripts', () => {
    const doc = {
      _id: 'pkg',
      name: 'pkg',
      readme: '# pkg\n'.repeat(100),
      users: { someone: true },
      'dist-tags': { latest: '1.0.0' },
      time: { created: '2025-01-01T00:00:00.000Z', '1.0.0': '2025-01-01T00:00:00.000Z' },
      versions: {
        '1.0.0': {
          name: 'pkg',
          version: '1.0.0',
          description: 'a package',
          readme: 'long text',
          dependencies: { a: '^1.0.0' },
          scripts: { test: 'mocha', postinstall: 'node setup.js' },
          dist: { integrity: 'sha512-x', shasum: 'abc', tarball: 'https://r.example/pkg/-/pkg-1.0.0.tgz', signatures: [{ keyid: 'k', sig: 's' }], attestations: { provenance: { predicateType: 'p' } } },
          _npmUser: { name: 'alice', email: 'a@example.com' },
          maintainers: [{ name: 'alice', email: 'a@example.com' }],
          _id: 'pkg@1.0.0',
          gitHead: 'f00',
        },
      },
    };
    assert.deepStrictEqual(filtered(JSON.stringify(doc)), {
      name: 'pkg',
      'dist-tags': { latest: '1.0.0' },
      time: { created: '2025-01-01T00:00:00.000Z', '1.0.0': '2025-01-01T00:00:00.000Z' },
      versions: {
        '1.0.0': {
          scripts: { postinstall: 'node setup.js' },
          dist: { integrity: 'sha512-x', tarball: 'https://r.example/pkg/-/pkg-1.0.0.tgz', attestations: { provenance: { predicateType: 'p' } } },
          _npmUser: { name: 'alice', email: 'a@example.com' },
          maintainers: [{ name: 'alice', email: 'a@example.com' }],
          _id: 'pkg@1.0.0',
          gitHead: 'f00',
        },
      },
    });
  });

  it('keeps every field buildHistory reads (recorded from its property reads on each fixture)', () => {
    const reads = new Map<string, readonly string[]>();
    for (const fixture of fixtures) buildHistory(nameOf(fixture), recordReads(JSON.parse(fixture.text), [], reads));
    assert.ok(reads.size > 20, `only ${reads.size} paths were recorded`);
    for (const path of reads.values()) {
      const doc = documentWith(path, 'SENTINEL');
      assert.deepStrictEqual(filtered(JSON.stringify(doc)), doc, `the filter drops ${path.join('.')}`);
    }
  });

  it('keeps a member whose key has escapes as it is, since it may decode to a name buildHistory reads', () => {
    const text = '{"name":"pkg","versions":{"1.0.0":{"_npm\\u0055ser":{"name":"eve"},"readme":"x"}},"time":{"1.0.0":"2025-01-01T00:00:00.000Z"}}';
    assert.deepStrictEqual(filtered(text), { name: 'pkg', versions: { '1.0.0': { _npmUser: { name: 'eve' } } }, time: { '1.0.0': '2025-01-01T00:00:00.000Z' } });
  });

  it('keeps the last of duplicate members, as JSON.parse does', () => {
    const text = '{"versions":{"1.0.0":{"_npmUser":{"name":"a"}}},"name":"pkg","versions":{"2.0.0":{"_npmUser":{"name":"b"},"readme":"r"}}}';
    assert.deepStrictEqual(filtered(text), JSON.parse('{"versions":{"2.0.0":{"_npmUser":{"name":"b"}}},"name":"pkg"}'));
  });

  it('passes a document that is not an object through unchanged, for JSON.parse to judge', () => {
    for (const text of ['<html>Service unavailable</html>', '[1,2,3]', '"pkg" ', 'null', '\ufeff{"name":"pkg"}']) {
      assert.deepStrictEqual(filter(text, 3), { ok: true, text });
    }
  });

  it('copies what follows the document, so trailing garbage still fails JSON.parse', () => {
    const result = filter('{"name":"pkg","readme":"x"} {"name":"evil"}');
    assert.deepStrictEqual(result, { ok: true, text: '{"name":"pkg"} {"name":"evil"}' });
    assert.throws(() => JSON.parse(result.ok ? result.text : ''), SyntaxError);
  });

  describe('reports a broken document instead of a shorter valid one', () => {
    const cases: Array<[string, string, string]> = [
      ['a missing comma after a dropped member', '{"readme":"x" "name":"pkg"}', `Unexpected '"' at position 14`],
      ['a missing colon', '{"name" "pkg"}', `Unexpected '"' at position 8`],
      ['a trailing comma', '{"name":"pkg",}', `Unexpected '}' at position 14`],
      ['a bare word as a key', '{name:"pkg"}', `Unexpected 'n' at position 1`],
      ['a value that starts with a closing bracket', '{"readme":]}', `Unexpected ']' at position 10`],
      ['an empty body', '', 'Unexpected end of JSON input after 0 bytes'],
      ['a dropped string that never ends', '{"name":"pkg","readme":"abc', 'Unexpected end of JSON input after 27 bytes'],
    ];
    for (const [what, text, message] of cases) {
      it(`with ${what}`, () => {
        for (const size of [1, Infinity]) assert.deepStrictEqual(filter(text, size), { ok: false, message });
      });
    }

    it('cut short at any byte', () => {
      const text = JSON.stringify({ name: 'pkg', readme: 'r "q" \\', versions: { '1.0.0': { _npmUser: { name: 'a' }, dependencies: { b: '1' } } }, time: { '1.0.0': 'x' } });
      for (let cut = 0; cut < text.length; cut++) {
        const result = filter(text.slice(0, cut), 4);
        assert.equal(result.ok, false, `cut at ${cut}: ${text.slice(0, cut)}`);
      }
    });
  });
});

/** Wraps `value` so that every own property buildHistory reads is recorded as a path (version keys normalised). */
function recordReads(value: unknown, path: readonly string[], reads: Map<string, readonly string[]>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const record = (key: string | symbol) => {
    if (typeof key !== 'string' || Array.isArray(value)) return;
    const at = [...path, key].map((part, i) => (i === 1 && path[0] === 'versions' ? '1.0.0' : part));
    reads.set(at.join('\u0000'), at);
  };
  return new Proxy(value, {
    get(target, key, receiver) {
      const found: unknown = Reflect.get(target, key, receiver);
      if (!Object.hasOwn(target, key)) return found;
      // An array element's reads count under the array's own path: the filter keeps or drops arrays whole.
      if (Array.isArray(target)) return recordReads(found, path, reads);
      record(key);
      return recordReads(found, [...path, String(key)], reads);
    },
    getOwnPropertyDescriptor(target, key) {
      record(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
}

/** `{ a: { b: value } }` for the path `a.b`. */
function documentWith(path: readonly string[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** A packument-like JSON text with the members buildHistory reads, members it does not, and the odd shapes a hostile registry may send. */
function randomPackument(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const ws = () => pick(['', '', ' ', '\n  ', '\t', '\r\n']);
  const str = (text: string) => (random() < 0.1 ? JSON.stringify(text).replace(/[a-z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) : JSON.stringify(text));
  const scalar = (): string => pick(['1', '-2.5e3', 'true', 'false', 'null', str('x'), str('ü "quoted" \\ slash'), str('}{][,:')]);
  const value = (depth: number): string => {
    if (depth > 2 || random() < 0.5) return scalar();
    const items = Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1));
    return random() < 0.5 ? `[${ws()}${items.join(`${ws()},${ws()}`)}${ws()}]` : object(items.map((item) => [pick(['a', 'readme', 'name', '_npmUser']), item]));
  };
  const object = (members: ReadonlyArray<readonly [string, string]>): string =>
    `{${ws()}${members.map(([key, inner]) => `${str(key)}${ws()}:${ws()}${inner}`).join(`${ws()},${ws()}`)}${ws()}}`;
  const versionKeys = ['1.0.0', '1.0.1', '1.1.0-beta.1', '2.0.0', 'not-a-version'];
  const version = (): string => {
    const members: Array<readonly [string, string]> = [];
    if (random() < 0.8) members.push(['_npmUser', object([['name', str(pick(['alice', 'bob', 'eve']))], ...(random() < 0.3 ? [['trustedPublisher', object([['id', str('github')]])] as const] : [])])]);
    if (random() < 0.7) members.push(['maintainers', `[${object([['name', str(pick(['alice', 'bob']))]])}]`]);
    if (random() < 0.7) members.push(['scripts', object([['test', str('t')], ...(random() < 0.3 ? [['postinstall', str('node x')] as const] : [])])]);
    if (random() < 0.7) members.push(['dist', object([['integrity', str('sha512-abc')], ['shasum', str('00')], ['tarball', str('https://r/x.tgz')], ...(random() < 0.3 ? [['attestations', object([['provenance', object([['predicateType', str('p')]])]])] as const] : [])])]);
    if (random() < 0.2) members.push(['gypfile', pick(['true', 'false'])]);
    if (random() < 0.2) members.push(['hasInstallScript', pick(['true', 'false', '"yes"'])]);
    if (random() < 0.2) members.push(['deprecated', str('use 2')]);
    if (random() < 0.3) members.push(['repository', random() < 0.5 ? str('git+https://x') : object([['url', str('git+https://y')]])]);
    if (random() < 0.5) members.push(['readme', str('# readme\n'.repeat(Math.floor(random() * 5)))]);
    if (random() < 0.5) members.push(['dependencies', value(0)]);
    if (random() < 0.2) members.push(['_npmUser', object([['name', str('dup')]])]);
    members.sort(() => random() - 0.5);
    return random() < 0.05 ? scalar() : object(members);
  };
  const keys = versionKeys.filter(() => random() < 0.7);
  const members: Array<readonly [string, string]> = [
    ['name', str('pkg')],
    ['readme', str('top readme')],
    ['dist-tags', object([['latest', str(pick(versionKeys))]])],
    ['versions', random() < 0.05 ? scalar() : object(keys.map((key) => [key, version()]))],
    ['time', object([['created', str('2025-01-01T00:00:00.000Z')], ...keys.map((key, i) => [key, str(`2025-0${i + 1}-01T00:00:00.000Z`)] as const)])],
    ['users', value(0)],
  ];
  members.sort(() => random() - 0.5);
  return `${ws()}${object(members)}${ws()}`;
}
