import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { extractFileText } from '../../../src/core/contents/file-text';
import { createInspector } from '../../../src/core/contents/inspect';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { serveVersions } from './support/pack';
import { packageEntries, writeTar, writeTgz } from './support/tar-writer';

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120, 0x41)]);

describe('contents/file-text: one file of a tarball as text', () => {
  const tgz = writeTgz([
    ...packageEntries('viewer', '1.0.0'),
    { name: 'package/lib/util.js', data: '\uFEFFexports.x = 1;\n// ünïcode\n' },
    { name: 'package/bin/helper', data: ELF, mode: 0o755 },
    { name: 'package/data.bin', data: Buffer.from('abc\0def') },
    { name: 'package/latin1.txt', data: Buffer.from([0x63, 0x61, 0x66, 0xe9]) },
    { name: 'package/big.js', data: 'x'.repeat(2048) },
  ]);

  it('returns a text file’s content, without a BOM', async () => {
    assert.deepEqual(await extractFileText(tgz, 'lib/util.js'), { kind: 'text', text: 'exports.x = 1;\n// ünïcode\n', size: 31 });
  });

  it('shows a binary file (an executable, NUL bytes, not UTF-8) as a one-line note', async () => {
    assert.deepEqual(await extractFileText(tgz, 'bin/helper'), { kind: 'note', reason: 'binary', text: '(bin/helper is a binary file (ELF executable), 128 bytes; it is not shown.)' });
    assert.deepEqual(await extractFileText(tgz, 'data.bin', { label: 'viewer@1.0.0/data.bin' }), { kind: 'note', reason: 'binary', text: '(viewer@1.0.0/data.bin is a binary file, 7 bytes; it is not shown.)' });
    assert.deepEqual(await extractFileText(tgz, 'latin1.txt'), { kind: 'note', reason: 'binary', text: '(latin1.txt is not UTF-8 text, 4 bytes; it is not shown.)' });
  });

  it('refuses a file over the size cap without keeping it, and says a missing file is missing', async () => {
    assert.deepEqual(await extractFileText(tgz, 'big.js', { maxBytes: 1024 * 1024 }), { kind: 'text', text: 'x'.repeat(2048), size: 2048 });
    const refused = await extractFileText(tgz, 'big.js', { maxBytes: 1024 });
    assert.equal(refused.kind, 'note');
    assert.equal(refused.kind === 'note' && refused.reason, 'too-large');
    assert.match(refused.text, /^\(big\.js is not shown: 2,048 bytes, more than the 0 MB shown\.\)$/);
    assert.deepEqual(await extractFileText(tgz, 'lib/absent.js'), { kind: 'note', reason: 'missing', text: '(lib/absent.js is not in this version.)' });
  });

  it('shows nothing from a hostile archive: traversal, links and gzip bombs are refused as a whole', async () => {
    const traversal = writeTgz([...packageEntries(), { name: 'package/../../etc/passwd', data: 'root:x:0:0' }]);
    const link = writeTgz([...packageEntries(), { name: 'package/index2.js', type: '2', linkname: '/etc/passwd' }]);
    const bomb = gzipSync(Buffer.concat([writeTar([...packageEntries(), { name: 'package/zeros.js', data: Buffer.alloc(4 * 1024 * 1024) }])]));
    for (const [archive, path] of [[traversal, 'index.js'], [link, 'index.js'], [bomb, 'index.js']] as const) {
      const result = await extractFileText(archive, path, { limits: { maxUnpackedBytes: 1024 * 1024, maxEntries: 100, maxFileBytes: 8 * 1024 * 1024 } });
      assert.equal(result.kind, 'note', path);
      assert.equal(result.kind === 'note' && result.reason, 'refused');
      assert.match(result.text, /^\(index\.js is not shown: the package archive was not inspected: .+\.\)$/);
    }
    assert.deepEqual(await extractFileText(Buffer.from('not a tarball at all, not even close, really'), 'index.js'), {
      kind: 'note',
      reason: 'refused',
      text: '(index.js is not shown: the package archive was not inspected: it is neither a gzip file nor a tar archive.)',
    });
  });

  describe('Inspector.readFile: from the registry, verified', () => {
    let registry: FixtureRegistry;
    before(async () => {
      registry = await startFixtureRegistry();
      serveVersions(registry, 'viewer', [
        { version: '1.0.0', tarball: writeTgz(packageEntries('viewer', '1.0.0')), manifest: { name: 'viewer', version: '1.0.0' } },
        { version: '1.0.1', tarball: tgz, manifest: { name: 'viewer', version: '1.0.1' } },
      ]);
    });
    after(() => registry.close());

    it('reads a file of the verified tarball, and refuses one whose bytes are not the published integrity', async () => {
      const inspector = createInspector({ registry: registry.url });
      assert.deepEqual(await inspector.readFile('viewer', '1.0.1', 'lib/util.js'), { kind: 'text', text: 'exports.x = 1;\n// ünïcode\n', size: 31 });
      assert.deepEqual(await inspector.readFile('viewer', '1.0.0', 'index.js'), { kind: 'text', text: 'module.exports = 1;\n', size: 20 });
      registry.setTarball('viewer', '1.0.0', writeTgz([...packageEntries('viewer', '1.0.0'), { name: 'package/evil.js', data: 'x' }]));
      const tampered = await createInspector({ registry: registry.url }).readFile('viewer', '1.0.0', 'index.js');
      assert.equal(tampered.kind, 'note');
      assert.match(tampered.text, /^\(viewer@1\.0\.0\/index\.js is not shown: the tarball from .* does not match the integrity the registry publishes/);
      assert.match((await inspector.readFile('viewer', '9.9.9', 'index.js')).text, /viewer@9\.9\.9 is not in the registry/);
    });
  });
});
