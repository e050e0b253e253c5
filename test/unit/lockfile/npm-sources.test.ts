import assert from 'node:assert/strict';
import { parseNpmLock } from '../../../src/core/lockfile/npm';
import type { LockedPackage } from '../../../src/core/types';
import { insertIntoPackages, keyLocation, readFixture, summarize } from './npm-fixtures';

const FILE = 'npm-shrinkwrap.json';
const shrinkwrap = readFixture('shrinkwrap', 'npm-shrinkwrap.json');

function find(packages: readonly LockedPackage[], key: string): LockedPackage | undefined {
  return packages.find((p) => p.key === key);
}

/** The shrinkwrap fixture with `resolved` set on its debug entry. */
function withDebugResolved(resolved: string): string {
  return shrinkwrap.text.replace('"version": "4.4.3",\n', `"version": "4.4.3",\n      "resolved": ${JSON.stringify(resolved)},\n`);
}

describe('parseNpmLock: where a package comes from', () => {
  const cases: [string, LockedPackage['source']][] = [
    ['https://registry.npmjs.org/debug/-/debug-4.4.3.tgz', 'registry'],
    // Registry-shaped tarballs on other hosts (mirrors, Artifactory); the tarball-url rules judge the host.
    ['https://npm.example.com/artifactory/api/npm/npm/debug/-/debug-4.4.3.tgz', 'registry'],
    ['https://registry.npmjs.org/@scope/debug/-/debug-4.4.3.tgz?x=1', 'registry'],
    ['https://example.com/downloads/debug-4.4.3.tgz', 'url'],
    ['https://codeload.github.com/debug-js/debug/tar.gz/0123abc', 'url'],
    ['git+ssh://git@github.com/debug-js/debug.git#0123abc', 'git'],
    ['git+https://github.com/debug-js/debug.git#0123abc', 'git'],
    ['github:debug-js/debug#0123abc', 'git'],
    ['file:vendor/debug-4.4.3.tgz', 'file'],
    ['not a url', 'invalid'],
  ];
  for (const [resolved, source] of cases) {
    it(`classifies resolved ${JSON.stringify(resolved)} as ${source}`, () => {
      const result = parseNpmLock(FILE, withDebugResolved(resolved));
      const debug = find(result.packages, 'node_modules/debug');
      assert.deepStrictEqual([debug?.resolved, debug?.source, result.errors], [resolved, source, []]);
    });
  }

  it('takes a registry version without resolved as a registry package, and a non-version as invalid', () => {
    assert.equal(find(parseNpmLock(FILE, shrinkwrap.text).packages, 'node_modules/debug')?.source, 'registry');
    const text = shrinkwrap.text.replace('"version": "4.4.3"', '"version": "latest"');
    assert.equal(find(parseNpmLock(FILE, text).packages, 'node_modules/debug')?.source, 'invalid');
  });

  it('marks a bundled package (inBundle), which has no resolved or integrity of its own', () => {
    const text = shrinkwrap.text.replace(/("node_modules\/ms": \{\n\s+"version": "2\.1\.3",\n)\s+"integrity": "[^"]+",\n/, '$1      "inBundle": true,\n');
    assert.deepStrictEqual(find(parseNpmLock(FILE, text).packages, 'node_modules/ms'), {
      name: 'ms',
      version: '2.1.3',
      key: 'node_modules/ms',
      hasInstallScript: false,
      dev: false,
      optional: false,
      peer: false,
      direct: false,
      source: 'registry',
      via: ['debug', 'ms'],
      workspace: '',
      location: keyLocation(FILE, text, 'node_modules/ms'),
      inBundle: true,
    });
  });

  it('keeps an extraneous package (reached from no importer) as its own chain, not direct', () => {
    const text = insertIntoPackages(shrinkwrap.text, '    "node_modules/orphan": { "version": "1.0.0", "extraneous": true },\n');
    const orphan = find(parseNpmLock(FILE, text).packages, 'node_modules/orphan');
    assert.equal(orphan && summarize(orphan), 'node_modules/orphan orphan@1.0.0 registry via orphan');
  });

  it('uses package.json for direct dependencies when the root entry is missing', () => {
    const text = shrinkwrap.text.replace(/\n {4}"": \{[\s\S]*?\n {4}\},/, '');
    const result = parseNpmLock(FILE, text, { dependencies: { ms: '^2.1.0' } });
    assert.deepStrictEqual(result.packages.map(summarize), [
      'node_modules/debug debug@4.4.3 registry via debug',
      'node_modules/is-number is-number@7.0.0 registry [dev] via is-number',
      'node_modules/ms ms@2.1.3 registry [direct] via ms',
    ]);
  });

  it('follows a link to a folder outside the project without resolving its dependencies inside it', () => {
    const fixture = readFixture('link-outside/app');
    const result = parseNpmLock('package-lock.json', fixture.text, fixture.manifest);
    // lib needs ms@^2, which lives (if anywhere) in ../lib/node_modules; node never looks in app's.
    assert.deepStrictEqual([result.errors, result.workspaces], [[], []]);
    assert.deepStrictEqual(result.packages.map(summarize), [
      'node_modules/lib lib@0.2.0 link [direct] via lib',
      'node_modules/ms ms@1.0.0 registry [direct] via ms',
    ]);
  });

  it('accepts workspaces written as { "packages": [...] }', () => {
    const fixture = readFixture('workspaces');
    const text = fixture.text.replace('"workspaces": [\n        "packages/*"\n      ]', '"workspaces": { "packages": ["packages/*"] }');
    const [result, control] = [text, fixture.text].map((t) => parseNpmLock('package-lock.json', t));
    assert.deepStrictEqual([result.workspaces, result.errors], [['packages/a', 'packages/b'], []]);
    assert.deepStrictEqual(result.packages.map(summarize), control.packages.map(summarize));
  });
});

describe('parseNpmLock: v1 specs in "version"', () => {
  const v1 = readFixture('tree-v1');
  const replaceEntry = (name: string, body: string): string =>
    v1.text.replace(new RegExp(`\\n    "${name}": \\{\\n[\\s\\S]*?\\n    \\}`), `\n    "${name}": ${body}`);

  it('reads a git dependency: the spec is its version and resolved', () => {
    const spec = 'git+ssh://git@github.com/debug-js/debug.git#0123abc';
    const text = replaceEntry('core-js', `{ "version": ${JSON.stringify(spec)}, "from": "github:zloirock/core-js" }`);
    const result = parseNpmLock('package-lock.json', text, v1.manifest);
    assert.deepStrictEqual(find(result.packages, 'node_modules/core-js'), {
      name: 'core-js',
      version: spec,
      key: 'node_modules/core-js',
      resolved: spec,
      dev: false,
      optional: false,
      peer: false,
      direct: true,
      source: 'git',
      via: ['core-js'],
      workspace: '',
      location: keyLocation('package-lock.json', text, 'core-js'),
    });
  });

  it('reads tarball URLs, file: tarballs and bundled entries', () => {
    let text = replaceEntry('core-js', '{ "version": "https://example.com/core-js-3.51.0.tgz", "integrity": "sha512-x" }');
    text = text.replace(/\n {4}"ms": \{\n[\s\S]*?\n {4}\}/, '\n    "ms": { "version": "file:vendor/ms-1.0.0.tgz", "integrity": "sha512-y" }');
    text = text.replace('"picomatch": {\n      "version": "2.3.2",', '"picomatch": {\n      "version": "2.3.2",\n      "bundled": true,');
    const result = parseNpmLock('package-lock.json', text, v1.manifest);
    assert.deepStrictEqual(
      ['node_modules/core-js', 'node_modules/ms', 'node_modules/picomatch'].map((k) => {
        const p = find(result.packages, k);
        return [p?.version, p?.resolved, p?.source, p?.inBundle];
      }),
      [
        ['https://example.com/core-js-3.51.0.tgz', 'https://example.com/core-js-3.51.0.tgz', 'url', undefined],
        ['file:vendor/ms-1.0.0.tgz', 'file:vendor/ms-1.0.0.tgz', 'file', undefined],
        ['2.3.2', 'https://registry.npmjs.org/picomatch/-/picomatch-2.3.2.tgz', 'registry', true],
      ],
    );
  });

  it('reports an alias of an invalid name and skips it with its nested dependencies', () => {
    const text = replaceEntry('debug', '{ "version": "npm:../evil@1.0.0", "dependencies": { "ms": { "version": "2.1.3" } } }');
    const result = parseNpmLock('package-lock.json', text, v1.manifest);
    assert.deepStrictEqual(result.errors, [
      {
        file: 'package-lock.json',
        message: 'package-lock.json dependency "debug" is an alias of an invalid package name "../evil"; it was skipped.',
        location: keyLocation('package-lock.json', text, 'debug'),
      },
    ]);
    assert.deepStrictEqual(result.packages.filter((p) => p.key.startsWith('node_modules/debug')), []);
  });
});
