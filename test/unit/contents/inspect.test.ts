import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInspector, type PackageInspection } from '../../../src/core/contents/inspect';
import { integrityOf } from '../../../src/core/contents/integrity';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { shaiHuludBundle } from './support/bundle';
import { gypNormalisation, packFixture, serveVersions, type PackedVersion } from './support/pack';
import { packageEntries, writeTgz, type TarEntrySpec } from './support/tar-writer';

/** What a test compares: each finding's rule, severity and file, plus errors (messages are pinned by the rule tables). */
function outline(result: PackageInspection): { findings: Array<[string, string, unknown]>; errors: string[] } {
  return {
    findings: result.findings.map((f) => [f.rule, f.severity, f.evidence['file'] ?? f.evidence['files'] ?? null]),
    errors: result.errors.map((e) => `${e.kind}: ${e.message}`),
  };
}

/** A hostile version 1.0.1 of `hostile-<case>` after a normal 1.0.0, both crafted with the tar writer. */
function serveCrafted(registry: FixtureRegistry, name: string, entries: readonly TarEntrySpec[]): void {
  const good: PackedVersion = { version: '1.0.0', tarball: writeTgz(packageEntries(name, '1.0.0')), manifest: { name, version: '1.0.0', main: 'index.js' } };
  const bad: PackedVersion = { version: '1.0.1', tarball: writeTgz(entries), manifest: { name, version: '1.0.1', main: 'index.js' } };
  serveVersions(registry, name, [good, bad]);
}

describe('contents/inspect against the fixture registry (tarballs from npm pack)', function () {
  this.timeout(180_000);
  let registry: FixtureRegistry;
  let cacheDir: string;

  before(async () => {
    registry = await startFixtureRegistry();
    cacheDir = await mkdtemp(join(tmpdir(), 'dr-contents-'));
    const pack = (fixture: string, versions: string[], extra: Record<string, Record<string, string>> = {}) =>
      Promise.all(versions.map((version) => packFixture(fixture, version, extra[version] ?? {})));
    const [chalk, shai, bun, native, dist, confusion] = await Promise.all([
      pack('chalk-shape', ['1.2.0', '1.2.1']),
      // Shai-Hulud's bundle.js was ~3.6 MB of minified webpack output: generated here, never committed.
      pack('shai-hulud', ['3.1.0', '3.1.1'], { '3.1.1': { 'bundle.js': shaiHuludBundle(3.6 * 1024 * 1024) } }),
      pack('setup-bun', ['2.0.0', '2.0.1']),
      pack('native-addon', ['1.0.0', '1.0.1']),
      pack('minified-dist', ['4.0.0', '4.0.1']),
      pack('manifest-confusion', ['1.0.0', '1.0.1']),
    ]);
    serveVersions(registry, 'color-kit', chalk);
    serveVersions(registry, 'ui-widgets', shai);
    serveVersions(registry, 'fast-tool', bun);
    serveVersions(registry, 'native-thing', native, gypNormalisation);
    serveVersions(registry, 'tiny-charts', dist);
    // The registry's metadata for 1.0.1 hides the postinstall that the tarball's package.json has.
    serveVersions(registry, 'quiet-lib', confusion, (doc) => delete doc['scripts']);
  });

  after(async () => {
    await registry.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  const inspect = (name: string, version: string, against?: string) => createInspector({ registry: registry.url, cacheDir }).inspect(name, version, against);

  describe('incident shapes are flagged with the right rule', () => {
    it('chalk/debug: an obfuscated payload appended to index.js in a patch release', async () => {
      assert.deepStrictEqual(outline(await inspect('color-kit', '1.2.1')), { findings: [['contents-obfuscated', 'error', 'index.js']], errors: [] });
    });

    it('Shai-Hulud: a new 3.6 MB minified bundle.js run by postinstall', async () => {
      const result = await inspect('ui-widgets', '3.1.1');
      assert.deepStrictEqual(outline(result), {
        findings: [
          ['contents-capability-added', 'error', 'bundle.js'],
          ['install-script-target', 'error', 'bundle.js'],
          ['contents-obfuscated', 'warning', 'bundle.js'],
        ],
        errors: [],
      });
      const capability = result.findings[0];
      assert.deepStrictEqual(capability?.evidence['details'], ['child_process', 'https', 'JSON.stringify(process.env)']);
      assert.deepStrictEqual(capability?.evidence['hosts'], ['webhook.site']);
      assert.deepStrictEqual(result.diff?.installTargets, [{ hook: 'postinstall', command: 'node bundle.js', file: 'bundle.js', fileStatus: 'new' }]);
    });

    it('a preinstall that runs a new setup_bun.js downloading a runtime', async () => {
      const result = await inspect('fast-tool', '2.0.1');
      assert.deepStrictEqual(outline(result), {
        findings: [
          ['contents-capability-added', 'error', 'setup_bun.js'],
          ['install-script-target', 'error', 'setup_bun.js'],
        ],
        errors: [],
      });
      assert.deepStrictEqual(result.findings[0]?.evidence['hosts'], ['github.com']);
      assert.deepStrictEqual(result.diff?.added, ['setup_bun.js']);
    });

    it("a tarball whose package.json has a postinstall the registry's metadata does not show", async () => {
      assert.deepStrictEqual(outline(await inspect('quiet-lib', '1.0.1')), {
        findings: [
          ['contents-capability-added', 'error', 'collect.js'],
          ['install-script-target', 'error', 'collect.js'],
          ['manifest-mismatch', 'error', null],
        ],
        errors: [],
      });
    });
  });

  describe('normal releases stay quiet', () => {
    it('a native addon whose implicit node-gyp install did not change', async () => {
      const result = await inspect('native-thing', '1.0.1');
      assert.deepStrictEqual(outline(result), { findings: [], errors: [] });
      assert.deepStrictEqual(result.diff?.grown, [{ path: 'index.js', before: 71, after: 263 }]);
    });

    it('a library that has always shipped minified dist/ bundles', async () => {
      const result = await inspect('tiny-charts', '4.0.1');
      assert.deepStrictEqual(outline(result), { findings: [], errors: [] });
      assert.deepStrictEqual(result.diff?.added, ['dist/charts.esm.min.js']);
    });

    it('the first release, and a comparison against itself', async () => {
      assert.deepStrictEqual(outline(await inspect('color-kit', '1.2.0')), { findings: [], errors: [] });
      assert.deepStrictEqual(outline(await inspect('color-kit', '1.2.1', '1.2.1')), { findings: [], errors: [] });
    });
  });

  describe('tarballs are fetched from the registry, verified, and analysed once', () => {
    it('caches summaries by integrity: a second inspection downloads no tarball (the first did)', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'dr-contents-cache-'));
      try {
        registry.resetStats();
        await createInspector({ registry: registry.url, cacheDir: dir }).inspect('fast-tool', '2.0.1');
        const first = registry.requests.filter((r) => r.url.endsWith('.tgz')).length;
        registry.resetStats();
        const again = await createInspector({ registry: registry.url, cacheDir: dir }).inspect('fast-tool', '2.0.1');
        const second = registry.requests.filter((r) => r.url.endsWith('.tgz')).length;
        assert.deepStrictEqual([first, second], [2, 0]);
        assert.equal(again.findings.length, 2);
        assert.equal((await readdir(join(dir, 'contents'))).filter((f) => f.endsWith('.json')).length, 2);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('a tarball that does not match the published integrity is not inspected', async () => {
      const packed = await packFixture('chalk-shape', '1.2.0');
      serveVersions(registry, 'swapped', [
        { ...packed, version: '1.0.0', manifest: { name: 'swapped', version: '1.0.0' } },
        { ...packed, version: '1.0.1', manifest: { name: 'swapped', version: '1.0.1' } },
      ]);
      registry.setTarball('swapped', '1.0.1', writeTgz(packageEntries('swapped', '1.0.1')));
      // No cache folder: the genuine tarball's summary is cached under this integrity by earlier tests.
      const result = await createInspector({ registry: registry.url }).inspect('swapped', '1.0.1');
      assert.equal(result.findings.length, 0);
      assert.match(result.errors[0]?.message ?? '', /^swapped@1\.0\.1: not inspected: the tarball from http:\/\/127\.0\.0\.1:\d+\/swapped\/-\/swapped-1\.0\.1\.tgz does not match the integrity the registry publishes/);
    });

    it("a packument whose dist.tarball points at another host is fetched from the registry's own path", async () => {
      const packed = await packFixture('chalk-shape', '1.2.0');
      serveVersions(registry, 'elsewhere', [{ ...packed, version: '1.0.0', manifest: { name: 'elsewhere', version: '1.0.0' } }], (doc) => {
        (doc['dist'] as Record<string, unknown>)['tarball'] = 'http://127.0.0.2:9/evil.tgz';
      });
      registry.resetStats();
      const result = await createInspector({ registry: registry.url }).inspect('elsewhere', '1.0.0');
      assert.deepStrictEqual(result.errors, []);
      assert.deepStrictEqual(registry.requests.map((r) => r.url), ['/elsewhere', '/elsewhere/-/elsewhere-1.0.0.tgz']);
    });

    it('a registry failure is not remembered: the same inspector asks again next time', async () => {
      const inspector = createInspector({ registry: registry.url, cacheDir });
      registry.setBehaviour('color-kit', { status: 404, times: 1 });
      const failed = await inspector.inspect('color-kit', '1.2.1');
      const again = await inspector.inspect('color-kit', '1.2.1');
      registry.setBehaviour('color-kit', undefined);
      assert.deepStrictEqual([outline(failed).errors, outline(again)], [
        [`not-found: color-kit: ${registry.url.replace(/^http:\/\/|\/$/g, '')} answered HTTP 404; its contents were not inspected.`],
        { findings: [['contents-obfuscated', 'error', 'index.js']], errors: [] },
      ]);
    });

    it('an unknown version and an unknown --against version are errors naming them', async () => {
      assert.deepStrictEqual(outline(await inspect('color-kit', '9.9.9')).errors, ['not-found: color-kit@9.9.9 is not in the registry; nothing to inspect.']);
      assert.deepStrictEqual(outline(await inspect('color-kit', '1.2.1', '0.0.1')).errors, [
        'not-found: color-kit@0.0.1 is not in the registry; choose another --against version.',
      ]);
    });
  });

  describe('hostile archives are not inspected, with the reason', () => {
    const cases: Array<[string, TarEntrySpec[], string]> = [
      ['traversal', [...packageEntries(), { name: 'package/../../../.npmrc', data: 'x' }], 'the entry "package/../../../.npmrc" climbs out of the package folder with ".."'],
      ['absolute', [...packageEntries(), { name: '/tmp/x.js', data: 'x' }], 'the entry "/tmp/x.js" has an absolute path'],
      ['symlink', [...packageEntries(), { name: 'package/key', type: '2', linkname: '/root/.ssh/id_rsa' }], 'key is a symbolic link to "/root/.ssh/id_rsa"; npm pack never writes links'],
      ['duplicate', [...packageEntries(), { name: 'package/index.js', data: 'y' }], 'index.js appears twice with different contents; the second copy would silently replace the first'],
      ['non-utf8', [...packageEntries(), { name: Buffer.from('package/\xff.js', 'latin1'), data: 'x' }], 'an entry name is not valid UTF-8 ("package/ÿ.js")'],
    ];
    for (const [label, entries, reason] of cases) {
      it(label, async () => {
        serveCrafted(registry, `hostile-${label}`, entries);
        const result = await inspect(`hostile-${label}`, '1.0.1');
        assert.deepStrictEqual(outline(result), { findings: [], errors: [`not-inspected: hostile-${label}@1.0.1: not inspected: ${reason}.`] });
      });
    }

    it('caps apply to downloads from the registry too (tar bomb, huge file), and the previous version still reads', async () => {
      serveCrafted(registry, 'hostile-bomb', [...packageEntries(), ...Array.from({ length: 40 }, (_, i) => ({ name: `package/f${i}`, data: '' }))]);
      const result = await createInspector({ registry: registry.url }, { tarLimits: { maxEntries: 30, maxUnpackedBytes: 1 << 20, maxFileBytes: 1 << 20 } }).inspect('hostile-bomb', '1.0.1');
      assert.deepStrictEqual(outline(result), { findings: [], errors: ['not-inspected: hostile-bomb@1.0.1: not inspected: it has more than 30 entries.'] });
    });

    it('integrity is computed from the served bytes (control: the crafted good version inspects cleanly)', async () => {
      const result = await inspect('hostile-traversal', '1.0.0');
      assert.deepStrictEqual(outline(result), { findings: [], errors: [] });
      assert.ok(integrityOf(writeTgz(packageEntries())).startsWith('sha512-'));
    });
  });
});
