/** parseNpmrc (and bunfig.toml's `${VAR}`) on random and hostile config files (issue 7): never throw, stay linear, expand only real variables. */

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBunConfig } from '../../../src/core/registry/bun-config';
import { parseNpmrc } from '../../../src/core/registry/npm-config';
import { assertNoPollution, assertPlainData, check, fc, hostileString, mutated, prototypeSnapshot, timed } from '../../support/property';

const FILE = '/home/u/project/.npmrc';

const line: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'registry=https://registry.example/',
    '@scope:registry=https://scoped.example/',
    '//registry.example/:_authToken=${NPM_TOKEN}',
    '//registry.example/:_authToken=${MISSING?}',
    'min-release-age=7',
    'min-release-age-exclude[]=@myorg/*',
    '__proto__=polluted',
    'constructor[]=x',
    'key="quoted ; value"',
    "key='single'",
    'key = value ; comment',
    '; comment',
    '# comment',
    '[section]',
    '=',
    '\\${NOT_EXPANDED}',
    '\\\\${NPM_TOKEN}',
    'registry=${constructor}',
    'registry=${toString}',
    'x=${__proto__}',
    `a=${'\\'.repeat(20_000)}`,
    `a=${'${'.repeat(5000)}`,
    `${'k'.repeat(50_000)}=v`,
  ),
  fc.tuple(hostileString, fc.constantFrom('=', '[]=', ' = ', ''), hostileString).map(([k, eq, v]) => `${k}${eq}${v}`),
  fc.string({ unit: 'binary', maxLength: 80 }),
);

const npmrc: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean()).map(([lines, eol, bom]) => `${bom ? '\uFEFF' : ''}${lines.join(eol)}`),
  mutated(fc.array(line, { maxLength: 8 }).map((lines) => lines.join('\n')), 3),
);

const env: fc.Arbitrary<Record<string, string | undefined>> = fc.dictionary(fc.oneof(fc.constantFrom('NPM_TOKEN', 'HOME', 'MISSING'), hostileString), fc.oneof(hostileString, fc.constant(undefined)), { maxKeys: 4 });

describe('parseNpmrc: property tests (issue 7)', () => {
  const before = prototypeSnapshot();
  after(() => assertNoPollution(before));

  it('never throws on random and hostile .npmrc files: plain, bounded entries and errors that name the file and line', () => {
    check(
      fc.property(npmrc, env, (text, variables) => {
        const { entries, errors } = timed('parseNpmrc', () => parseNpmrc(FILE, text, variables));
        assertPlainData({ entries, errors });
        const lines = text.split(/\r\n|\r|\n/).length;
        assert.ok(entries.length <= lines && errors.length <= lines);
        for (const e of errors) assert.match(e.message, /^\/home\/u\/project\/\.npmrc line \d+: /);
        for (const { value } of entries) {
          for (const v of typeof value === 'string' ? [value] : value) assert.ok(!v.includes('[native code]'), v);
        }
      }),
      300,
    );
  });

  it('treats ${constructor}, ${toString} and ${__proto__} as unset variables, not Object.prototype members (issue 7)', () => {
    const { entries, errors } = parseNpmrc(FILE, 'registry=${constructor}\n//r.example/:_authToken=${toString}\nx=${__proto__?}\n', {});
    assert.deepStrictEqual(entries, [{ key: 'x', value: '' }]);
    assert.deepStrictEqual(errors.map((e) => e.message), [
      `${FILE} line 1: environment variable \${constructor} is not set; the line is ignored.`,
      `${FILE} line 2: environment variable \${toString} is not set; the line is ignored.`,
    ]);
  });

  it('still expands a variable the environment does set, whatever its name (control)', () => {
    const { entries, errors } = parseNpmrc(FILE, 'registry=${constructor}\n', { constructor: 'https://set.example/' });
    assert.deepStrictEqual([entries, errors], [[{ key: 'registry', value: 'https://set.example/' }], []]);
  });
});

describe('readBunConfig: ${VAR} expansion (issue 7)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dr-bunfig-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('treats ${constructor} in bunfig.toml as an unset variable, not Object’s constructor', async () => {
    await writeFile(join(dir, 'bunfig.toml'), '[install]\nregistry = "https://${constructor}.example/"\n');
    const result = await readBunConfig({ dir, env: {}, home: join(dir, 'home') });
    assert.equal(result.registry, undefined);
    assert.equal(result.errors.length, 1);
    assert.doesNotMatch(JSON.stringify(result), /native code/);
  });

  it('expands it when the environment sets it (control)', async () => {
    await writeFile(join(dir, 'bunfig.toml'), '[install]\nregistry = "https://${constructor}.example/"\n');
    const result = await readBunConfig({ dir, env: { constructor: 'set' }, home: join(dir, 'home') });
    assert.equal(result.registry, 'https://set.example/');
  });
});
