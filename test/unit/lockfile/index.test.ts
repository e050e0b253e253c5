/** parseLockfile: an unchanged lockfile is parsed once while the editor re-audits at every pause in typing; any change parses again. */

import assert from 'node:assert/strict';
import { parseLockfile } from '../../../src/core/lockfile/index';

const lock = (version: string) =>
  JSON.stringify({
    name: 'app',
    lockfileVersion: 3,
    packages: { '': { name: 'app', dependencies: { dep: '^1.0.0' } }, 'node_modules/dep': { version, resolved: `https://registry.example/dep/-/dep-${version}.tgz`, integrity: 'sha512-x' } },
  });
const importers = [{ path: '', name: 'app', dependencies: { dep: '^1.0.0' } }];

describe('parseLockfile', () => {
  it('returns the earlier result for the same file, text and importers', async () => {
    const first = await parseLockfile('package-lock.json', 'package-lock.json', lock('1.0.0'), importers);
    const again = await parseLockfile('package-lock.json', 'package-lock.json', lock('1.0.0'), [{ ...importers[0] }]);
    assert.equal(again.lockfile, first.lockfile);
    assert.deepStrictEqual(first.lockfile?.packages.map((p) => `${p.name}@${p.version}`), ['dep@1.0.0']);
  });

  it('parses again when the text changes (control)', async () => {
    const first = await parseLockfile('package-lock.json', 'package-lock.json', lock('1.0.0'), importers);
    const changed = await parseLockfile('package-lock.json', 'package-lock.json', lock('1.0.1'), importers);
    assert.notEqual(changed.lockfile, first.lockfile);
    assert.deepStrictEqual(changed.lockfile?.packages.map((p) => `${p.name}@${p.version}`), ['dep@1.0.1']);
  });

  it('parses again when package.json changes what the importers declare (control)', async () => {
    const first = await parseLockfile('package-lock.json', 'package-lock.json', lock('1.0.0'), importers);
    const other = await parseLockfile('package-lock.json', 'package-lock.json', lock('1.0.0'), [{ path: '', name: 'app', devDependencies: { dep: '^1.0.0' } }]);
    assert.notEqual(other.lockfile, first.lockfile);
  });
});
