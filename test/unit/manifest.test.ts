import assert from 'node:assert/strict';
import { parseManifest } from '../../src/core/manifest';

/** The Location of the first occurrence of `needle` in `text`, as the parser should report it. */
function at(text: string, needle: string, file = 'package.json') {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in text`);
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { file, offset, length: needle.length, line: before.length, column: before[before.length - 1].length + 1 };
}

describe('parseManifest', () => {
  it('reads every dependency section with exact name and version spans', () => {
    const text = `{
  "name": "app",
  "version": "1.0.0",
  "dependencies": { "chalk": "^5.6.0", "str": "npm:string-width@^4" },
  "devDependencies": { "mocha": "10.0.0" },
  "optionalDependencies": { "fsevents": "~2.3.0" },
  "peerDependencies": { "react": ">=18" }
}`;
    const m = parseManifest('package.json', text);
    assert.deepStrictEqual(m.errors, []);
    assert.equal(m.name, 'app');
    assert.equal(m.version, '1.0.0');
    assert.deepStrictEqual(m.dependencies, [
      { name: 'chalk', registryName: 'chalk', kind: 'prod', spec: '^5.6.0', range: '^5.6.0', source: 'registry', nameLocation: at(text, '"chalk"'), specLocation: at(text, '"^5.6.0"') },
      { name: 'str', registryName: 'string-width', kind: 'prod', spec: 'npm:string-width@^4', range: '^4', source: 'registry', nameLocation: at(text, '"str"'), specLocation: at(text, '"npm:string-width@^4"') },
      { name: 'mocha', registryName: 'mocha', kind: 'dev', spec: '10.0.0', range: '10.0.0', source: 'registry', nameLocation: at(text, '"mocha"'), specLocation: at(text, '"10.0.0"') },
      { name: 'fsevents', registryName: 'fsevents', kind: 'optional', spec: '~2.3.0', range: '~2.3.0', source: 'registry', nameLocation: at(text, '"fsevents"'), specLocation: at(text, '"~2.3.0"') },
      { name: 'react', registryName: 'react', kind: 'peer', spec: '>=18', range: '>=18', source: 'registry', nameLocation: at(text, '"react"'), specLocation: at(text, '">=18"') },
    ]);
  });

  it('recognises non-registry specs without a range', () => {
    const text = '{"dependencies": {"a": "github:u/a", "b": "file:../b", "c": "workspace:*", "d": "https://x.test/d.tgz"}}';
    const m = parseManifest('package.json', text);
    assert.deepStrictEqual(
      m.dependencies.map((d) => [d.name, d.source, d.range]),
      [['a', 'git', undefined], ['b', 'file', undefined], ['c', 'workspace', undefined], ['d', 'url', undefined]],
    );
  });

  it('reads overrides, including nested and "." entries, and skips $references', () => {
    const text = '{"dependencies": {"foo": "^1.0.0"}, "overrides": {"foo": {".": "1.0.1", "bar": "2.0.0"}, "baz@^1": "1.2.3", "qux": "$foo"}}';
    const m = parseManifest('package.json', text);
    const overrides = m.dependencies.filter((d) => d.kind === 'override').map((d) => [d.name, d.spec, d.overridePath]);
    assert.deepStrictEqual(overrides, [['foo', '1.0.1', ['foo']], ['bar', '2.0.0', ['foo', 'bar']], ['baz', '1.2.3', ['baz']]]);
    assert.deepStrictEqual(m.overridesLocation, at(text, text.slice(text.indexOf('{"foo": {'), text.length - 1)));
  });

  it('reads allowScripts and workspaces in both shapes', () => {
    const m = parseManifest('p.json', '{"allowScripts": {"esbuild": true, "evil@1.0.0": false, "odd": "yes"}, "workspaces": {"packages": ["packages/*"]}}');
    assert.deepStrictEqual({ ...m.allowScripts }, { esbuild: true, 'evil@1.0.0': false });
    assert.deepStrictEqual(m.workspaces, ['packages/*']);
    assert.equal(m.errors.length, 1);
    assert.match(m.errors[0].message, /^p\.json: allowScripts\["odd"\] must be true or false/);
    assert.deepStrictEqual(parseManifest('p.json', '{"workspaces": ["a", "b/*"]}').workspaces, ['a', 'b/*']);
  });

  it('tolerates comments, trailing commas, CRLF and a BOM, keeping offsets of the original text', () => {
    const text = '\uFEFF{\r\n  // pinned\r\n  "dependencies": {\r\n    "a": "1.0.0",\r\n  },\r\n}\r\n';
    const m = parseManifest('package.json', text);
    assert.deepStrictEqual(m.errors, []);
    assert.deepStrictEqual(m.dependencies[0].specLocation, at(text, '"1.0.0"'));
    assert.equal(m.dependencies[0].specLocation.line, 4);
  });

  it('reports invalid JSON while typing, naming the file, and keeps what it could read', () => {
    const text = '{"dependencies": {"a": "1.0.0", "b": }';
    const m = parseManifest('app/package.json', text);
    assert.ok(m.errors.length > 0);
    assert.match(m.errors[0].message, /^app\/package\.json is not valid JSON: value expected at line 1\./);
    assert.deepStrictEqual(m.dependencies.map((d) => d.name), ['a']);
  });

  it('reports non-string versions, duplicate keys and wrong section types, and goes on', () => {
    const text = '{"dependencies": {"a": 1, "b": "1.0.0", "b": "2.0.0"}, "devDependencies": ["x"]}';
    const m = parseManifest('package.json', text);
    assert.deepStrictEqual(m.errors.map((e) => e.message), [
      'package.json: "b" appears twice; npm uses the last one.',
      'package.json: the version of "a" in dependencies must be a string; found number.',
      'package.json: "devDependencies" must be an object; found array.',
    ]);
    assert.deepStrictEqual(m.dependencies.map((d) => [d.name, d.spec]), [['b', '2.0.0']]);
  });

  it('does not pollute prototypes with hostile keys', () => {
    const m = parseManifest('package.json', '{"dependencies": {"__proto__": "1.0.0"}, "allowScripts": {"__proto__": true, "constructor": false}}');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(m.allowScripts), null);
    assert.equal(m.allowScripts['__proto__'], true);
    assert.deepStrictEqual(m.dependencies.map((d) => d.name), ['__proto__']);
  });

  it('reports a file nested too deeply for the parser instead of throwing (issue 7)', () => {
    for (const text of [`{"dependencies": ${'['.repeat(100_000)}`, `{"overrides": ${'{"a": '.repeat(50_000)}`]) {
      const m = parseManifest('app/package.json', text);
      assert.deepStrictEqual([m.dependencies, m.errors.length], [[], 1]);
      assert.match(m.errors[0].message, /^app\/package\.json is nested too deeply to read \(.+\); none of its dependencies were read\.$/);
    }
  });

  it('still reads a deeply but not absurdly nested file (control)', () => {
    const m = parseManifest('package.json', `{"config": ${'['.repeat(500)}${']'.repeat(500)}, "dependencies": {"a": "1.0.0"}}`);
    assert.deepStrictEqual([m.errors, m.dependencies.map((d) => d.name)], [[], ['a']]);
  });

  it('keeps every error location inside the file, even where jsonc-parser reports past its end (issue 7)', () => {
    for (const text of ['/*', '{"dependencies": {"a": "1.0.0"} /*/', '{"a": 1 /* open']) {
      const m = parseManifest('package.json', text);
      assert.ok(m.errors.length > 0);
      for (const e of m.errors) assert.ok(e.location && e.location.offset + e.location.length <= text.length, `${JSON.stringify(text)}: ${JSON.stringify(e.location)}`);
    }
    assert.deepStrictEqual(parseManifest('package.json', '/*').errors[0]?.location, { file: 'package.json', offset: 0, length: 2, line: 1, column: 1 });
  });

  it('lists at most 50 problems and then says how many more there were (issue 7)', () => {
    const text = `{"dependencies": {${Array.from({ length: 10_000 }, (_, i) => `"d${i}": ${i}`).join(', ')}, "ok": "1.0.0"}}`;
    const m = parseManifest('package.json', text);
    assert.equal(m.errors.length, 51);
    assert.deepStrictEqual(m.errors[50], { file: 'package.json', message: 'package.json has 9950 more problems like the ones above; they were not listed.' });
    assert.deepStrictEqual(m.dependencies.map((d) => d.name), ['ok']);
  });

  it('reports a non-object document', () => {
    assert.deepStrictEqual(parseManifest('package.json', '[1]').errors, [{ file: 'package.json', message: 'package.json must contain a JSON object; found array.' }]);
  });
});
