import assert from 'node:assert/strict';
import {
  buildHistory,
  findVersion,
  hasInstallScripts,
  isExcluded,
  normaliseTime,
  previousAnyLine,
  previousRelease,
  trustLevel,
  type BuildHistoryResult,
} from '../../src/core/history';
import type { PackageHistory, TrustLevel, VersionFacts } from '../../src/core/types';
import { fixture, history } from './rules/helpers';

function built(name: string, doc: unknown): PackageHistory {
  const result: BuildHistoryResult = buildHistory(name, doc);
  if (!result.ok) return assert.fail(result.message);
  return result.history;
}

const dist = (v: string, extra: Record<string, unknown> = {}) => ({
  integrity: `sha512-${v}`,
  tarball: `https://registry.npmjs.org/p/-/p-${v}.tgz`,
  ...extra,
});
const ATTESTATIONS = { url: 'https://registry.npmjs.org/-/npm/v1/attestations/p@1.1.0', provenance: { predicateType: 'https://slsa.dev/provenance/v1' } };

describe('buildHistory', () => {
  it('extracts every fact from a full packument, in publish order', () => {
    const doc = {
      _id: 'p',
      _rev: '3-abc',
      name: 'p',
      'dist-tags': { latest: '1.1.0', next: '2.0.0-rc.1' },
      time: {
        created: '2024-01-01T00:00:00.000Z',
        modified: '2025-10-01T00:00:00.000Z',
        '1.0.0': '2024-01-01T00:00:00.000Z',
        '2.0.0-rc.1': '2025-01-01T00:00:00.000Z',
        '1.1.0': '2025-10-01T00:00:00.000Z',
        '1.0.1': '2024-02-01T00:00:00.000Z',
      },
      versions: {
        '1.1.0': {
          name: 'p',
          version: '1.1.0',
          _id: 'p@1.1.0',
          scripts: { test: 'mocha', postinstall: 'node setup.js', prepare: 'tsc', preinstall: '' },
          repository: { type: 'git', url: 'git+https://github.com/o/p.git' },
          _npmUser: {
            name: 'GitHub Actions',
            email: 'npm-oidc-no-reply@github.com',
            trustedPublisher: { id: 'github', oidcConfigId: 'oidc:1' },
            approver: { name: 'bob', email: 'bob@example.com' },
          },
          maintainers: [{ name: 'alice', email: 'a@example.com' }, { name: 'bob', email: 'b@example.com' }],
          deprecated: '',
          dist: dist('1.1.0', { attestations: ATTESTATIONS, signatures: [{ keyid: 'k', sig: 's' }] }),
        },
        '1.0.0': {
          name: 'p',
          version: '1.0.0',
          _id: 'p@1.0.0',
          repository: 'github:o/p',
          _npmUser: { name: 'alice', email: 'a@example.com' },
          maintainers: [{ name: 'alice', email: 'a@example.com' }],
          deprecated: 'use 1.1.0',
          dist: dist('1.0.0'),
        },
        '2.0.0-rc.1': { name: 'p', version: '2.0.0-rc.1', _id: 'p@2.0.0-rc.1', gypfile: true, _npmUser: { name: 'alice' }, dist: dist('2.0.0-rc.1') },
      },
    };
    const expected: PackageHistory = {
      name: 'p',
      versions: [
        {
          version: '1.0.0',
          publishedAt: '2024-01-01T00:00:00.000Z',
          publisher: 'alice',
          maintainers: ['alice'],
          provenance: false,
          installScripts: {},
          deprecated: 'use 1.1.0',
          integrity: 'sha512-1.0.0',
          tarball: 'https://registry.npmjs.org/p/-/p-1.0.0.tgz',
          repository: 'github:o/p',
        },
        {
          version: '2.0.0-rc.1',
          publishedAt: '2025-01-01T00:00:00.000Z',
          publisher: 'alice',
          provenance: false,
          installScripts: { install: 'node-gyp rebuild' },
          integrity: 'sha512-2.0.0-rc.1',
          tarball: 'https://registry.npmjs.org/p/-/p-2.0.0-rc.1.tgz',
        },
        {
          version: '1.1.0',
          publishedAt: '2025-10-01T00:00:00.000Z',
          publisher: 'GitHub Actions',
          trustedPublisher: 'github',
          approver: 'bob',
          maintainers: ['alice', 'bob'],
          provenance: true,
          installScripts: { postinstall: 'node setup.js' },
          integrity: 'sha512-1.1.0',
          tarball: 'https://registry.npmjs.org/p/-/p-1.1.0.tgz',
          repository: 'git+https://github.com/o/p.git',
        },
      ],
      removed: [{ version: '1.0.1', publishedAt: '2024-02-01T00:00:00.000Z' }],
      distTags: { latest: '1.1.0', next: '2.0.0-rc.1' },
      hasPublisherData: true,
      hasMaintainerData: true,
    };
    assert.deepStrictEqual(buildHistory('p', doc), { ok: true, history: expected });
  });

  it('reads an abbreviated packument: no times, only hasInstallScript, absent flag meaning false', () => {
    const doc = {
      name: 'p',
      modified: '2025-10-02T12:34:56.789Z',
      'dist-tags': { latest: '1.10.0' },
      versions: {
        '1.10.0': { name: 'p', version: '1.10.0', hasInstallScript: true, dist: dist('1.10.0') },
        '1.9.0': { name: 'p', version: '1.9.0', deprecated: 'old', dist: dist('1.9.0', { attestations: ATTESTATIONS }) },
        '1.2.0': { name: 'p', version: '1.2.0' },
      },
    };
    assert.deepStrictEqual(built('p', doc), {
      name: 'p',
      versions: [
        { version: '1.2.0', hasInstallScript: false },
        { version: '1.9.0', provenance: true, hasInstallScript: false, deprecated: 'old', integrity: 'sha512-1.9.0', tarball: 'https://registry.npmjs.org/p/-/p-1.9.0.tgz' },
        { version: '1.10.0', provenance: false, hasInstallScript: true, integrity: 'sha512-1.10.0', tarball: 'https://registry.npmjs.org/p/-/p-1.10.0.tgz' },
      ],
      removed: [],
      distTags: { latest: '1.10.0' },
      hasPublisherData: false,
      hasMaintainerData: false,
    });
  });

  it('puts versions without a time first, by semver, and treats a partial time map as incomplete', () => {
    const doc = {
      name: 'p',
      time: { '2.0.0': '2025-01-01T00:00:00.000Z', '1.0.1': '2025-02-01T00:00:00.000Z' },
      versions: { '2.0.0': { _id: 'p@2.0.0' }, '1.0.1': { _id: 'p@1.0.1' }, '1.0.0': { _id: 'p@1.0.0' }, '0.9.0': { _id: 'p@0.9.0' } },
    };
    assert.deepStrictEqual(
      built('p', doc).versions.map((v) => [v.version, v.publishedAt]),
      [['0.9.0', undefined], ['1.0.0', undefined], ['2.0.0', '2025-01-01T00:00:00.000Z'], ['1.0.1', '2025-02-01T00:00:00.000Z']],
    );
  });

  it('normalises mirror times and drops the publisher facts a mirror strips (fixture mirror-style)', () => {
    const h = fixture('mirror-style');
    assert.deepStrictEqual(
      h.versions.map((v) => [v.version, v.publishedAt, v.publisher, v.maintainers, v.provenance]),
      [['1.0.0', '2025-05-01T10:00:00.000Z', undefined, undefined, false], ['1.1.0', '2025-10-05T06:00:00.123Z', undefined, undefined, false]],
    );
    assert.equal(h.hasPublisherData, false);
    assert.equal(h.hasMaintainerData, false);
  });

  it('reads a fully unpublished packument (time.unpublished) and lists its versions as removed', () => {
    assert.deepStrictEqual(fixture('unpublished-pkg'), {
      name: 'unpublished-pkg',
      versions: [],
      removed: [
        { version: '1.0.0', publishedAt: '2025-06-01T10:00:00.000Z' },
        { version: '1.1.0', publishedAt: '2025-09-30T10:00:00.000Z' },
      ],
      distTags: {},
      unpublished: { at: '2025-10-01T08:00:00.000Z', versions: ['1.0.0', '1.1.0'] },
      hasPublisherData: false,
      hasMaintainerData: false,
    });
  });

  it('keeps the removed versions of a security placeholder (fixture security-holder)', () => {
    const h = fixture('security-holder');
    assert.deepStrictEqual([h.versions.map((v) => v.version), h.removed.map((r) => r.version)], [['0.0.1-security'], ['1.0.0', '1.0.1']]);
  });

  it('implies node-gyp rebuild only when there is no install or preinstall of its own', () => {
    const scripts = (manifest: Record<string, unknown>) => built('p', { name: 'p', versions: { '1.0.0': { _id: 'p@1.0.0', ...manifest } } }).versions[0]?.installScripts;
    assert.deepStrictEqual(
      [
        scripts({ gypfile: true }),
        scripts({ gypfile: true, scripts: { postinstall: 'node post.js' } }),
        scripts({ gypfile: true, scripts: { preinstall: 'node pre.js' } }),
        scripts({ gypfile: true, scripts: { install: 'prebuild-install' } }),
        scripts({ gypfile: false }),
        scripts({ gypfile: 'yes' }),
      ],
      [
        { install: 'node-gyp rebuild' },
        { install: 'node-gyp rebuild', postinstall: 'node post.js' },
        { preinstall: 'node pre.js' },
        { install: 'prebuild-install' },
        {},
        {},
      ],
    );
  });

  it('reads deprecated only from a non-empty string, maintainers from objects or legacy strings', () => {
    const versions = built('p', {
      name: 'p',
      versions: {
        '1.0.0': { _id: 'x', deprecated: '' },
        '1.0.1': { _id: 'x', deprecated: false },
        '1.0.2': { _id: 'x', deprecated: { message: 'x' } },
        '1.0.3': { _id: 'x', deprecated: 'gone', maintainers: ['carol <c@example.com>', { name: 'dave' }, { email: 'no-name' }, 7, { name: 'dave' }] },
      },
    }).versions;
    assert.deepStrictEqual(
      versions.map((v) => [v.deprecated, v.maintainers]),
      [[undefined, undefined], [undefined, undefined], [undefined, undefined], ['gone', ['carol', 'dave']]],
    );
  });

  it('fails with a short problem phrase for documents that are not a packument for this package', () => {
    assert.deepStrictEqual(
      [buildHistory('p', null), buildHistory('p', []), buildHistory('p', 'x'), buildHistory('p', { name: 'q', versions: {} }), buildHistory('p', { name: 'p' })],
      [
        { ok: false, message: 'not a JSON object' },
        { ok: false, message: 'not a JSON object' },
        { ok: false, message: 'not a JSON object' },
        { ok: false, message: 'the document is for "q", not p' },
        { ok: false, message: 'no `versions` and no unpublished record' },
      ],
    );
  });

  describe('hostile input', () => {
    it('ignores __proto__, constructor and non-semver keys without polluting prototypes', () => {
      const doc: unknown = JSON.parse(
        '{"name":"p","dist-tags":{"__proto__":"1.0.0","latest":"1.0.0","constructor":{"x":1},"bad":"not-a-version"},' +
          '"time":{"__proto__":"2025-01-01T00:00:00.000Z","constructor":"2025-01-01T00:00:00.000Z","1.0.0":"2025-01-01T00:00:00.000Z"},' +
          '"versions":{"__proto__":{"polluted":true,"_id":"x"},"constructor":{"_id":"x"},"1.0.0":{"_id":"p@1.0.0","scripts":{"__proto__":{"postinstall":"evil"}}}}}',
      );
      assert.deepStrictEqual(built('p', doc), {
        name: 'p',
        versions: [{ version: '1.0.0', publishedAt: '2025-01-01T00:00:00.000Z', installScripts: {} }],
        removed: [],
        distTags: { latest: '1.0.0' },
        hasPublisherData: false,
        hasMaintainerData: false,
      });
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    });

    it('takes nothing from values of the wrong type', () => {
      const doc = {
        name: 'p',
        'dist-tags': 'latest',
        time: ['2025-01-01T00:00:00.000Z'],
        versions: {
          '1.0.0': 'not an object',
          '1.0.1': null,
          '1.0.2': [],
          '1.0.3': { _id: 'x', _npmUser: 'alice', maintainers: 'alice', scripts: ['postinstall'], dist: 'x', repository: 42, hasInstallScript: 'yes' },
        },
      };
      assert.deepStrictEqual(built('p', doc), {
        name: 'p',
        versions: [{ version: '1.0.3', installScripts: {} }],
        removed: [],
        distTags: {},
        hasPublisherData: false,
        hasMaintainerData: false,
      });
    });

    it('cuts huge scripts with their length and a hash, and drops huge names', () => {
      const huge = `node ${'a'.repeat(1_000_000)}`;
      const h = built('p', { name: 'p', versions: { '1.0.0': { _id: 'x', scripts: { postinstall: huge }, _npmUser: { name: 'u'.repeat(10_000) } } } });
      const text = h.versions[0]?.installScripts?.postinstall ?? '';
      assert.deepStrictEqual([text.length < 4200, text.startsWith('node aaa'), /\[cut: 1000005 chars, fnv1a [0-9a-f]{8}\]$/.test(text), h.versions[0]?.publisher], [true, true, true, undefined]);
    });

    it('never throws on random structures', () => {
      let seed = 42;
      const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
      const values = (depth: number): unknown => {
        const pick = Math.floor(random() * 8);
        if (depth > 3 || pick < 3) return [null, 1, 'x', true, '1.0.0', '2025-01-01T00:00:00.000Z', '__proto__', -1][Math.floor(random() * 8)];
        if (pick < 5) return Array.from({ length: 3 }, () => values(depth + 1));
        const keys = ['name', 'versions', 'time', 'dist-tags', '1.0.0', '__proto__', 'scripts', '_npmUser', 'dist', 'unpublished', 'maintainers'];
        return Object.fromEntries(keys.filter(() => random() < 0.5).map((k) => [k, values(depth + 1)]));
      };
      for (let i = 0; i < 500; i++) assert.doesNotThrow(() => buildHistory('p', values(0)));
    });
  });
});

describe('normaliseTime', () => {
  const cases: [unknown, string | undefined][] = [
    ['2025-08-04T04:18:16.197Z', '2025-08-04T04:18:16.197Z'],
    ['2025-08-04T04:18:16.197000+00:00', '2025-08-04T04:18:16.197Z'],
    ['2025-08-04T04:18:16Z', '2025-08-04T04:18:16.000Z'],
    ['2025-08-04T06:18:16.1+02:00', '2025-08-04T04:18:16.100Z'],
    ['2025-02-30T00:00:00.000Z', undefined],
    ['2025-13-01T00:00:00.000Z', undefined],
    ['2025-01-01T24:00:00.000Z', undefined],
    ['2025-01-01', undefined],
    ['yesterday', undefined],
    [1_700_000_000_000, undefined],
    [null, undefined],
  ];
  for (const [value, expected] of cases) it(`${JSON.stringify(value)} -> ${String(expected)}`, () => assert.equal(normaliseTime(value), expected));
});

describe('history queries', () => {
  const v = (version: string, extra: Partial<VersionFacts> = {}): VersionFacts => ({ version, ...extra });
  // In publish order; 1.1.1 is a backport published after 2.0.0.
  const h = history('p', [v('0.2.0'), v('0.2.1'), v('0.3.0'), v('1.0.0'), v('1.1.0'), v('2.0.0-rc.1'), v('2.0.0-rc.2'), v('2.0.0'), v('1.1.1'), v('2.0.1')]);

  it('previousRelease stays on the release line, skips prereleases for a release and follows publish order', () => {
    const previous = (version: string) => previousRelease(h, version)?.version;
    assert.deepStrictEqual(
      ['0.2.1', '0.3.0', '1.0.0', '1.1.1', '2.0.0-rc.1', '2.0.0-rc.2', '2.0.0', '2.0.1', '9.9.9'].map(previous),
      ['0.2.0', undefined, undefined, '1.1.0', undefined, '2.0.0-rc.1', undefined, '2.0.0', undefined],
    );
  });

  it('previousAnyLine crosses lines but not to higher versions', () => {
    const previous = (version: string) => previousAnyLine(h, version)?.version;
    assert.deepStrictEqual(['0.3.0', '1.0.0', '2.0.0', '1.1.1', '2.0.0-rc.1'].map(previous), ['0.2.1', '0.3.0', '1.1.0', '1.1.0', '1.1.0']);
  });

  it('findVersion and hasInstallScripts', () => {
    const x = history('p', [
      v('1.0.0', { installScripts: {} }),
      v('1.0.1', { installScripts: { install: 'x' } }),
      v('1.0.2', { hasInstallScript: true }),
      v('1.0.3'),
      v('1.0.4', { installScripts: {}, hasInstallScript: true }),
      v('1.0.5', { installScripts: { postinstall: 'x' }, hasInstallScript: false }),
    ]);
    assert.deepStrictEqual([findVersion(x, '1.0.1')?.version, findVersion(x, '2.0.0')], ['1.0.1', undefined]);
    assert.deepStrictEqual(x.versions.map(hasInstallScripts), [false, true, true, undefined, true, true]);
  });

  it('trustLevel ranks as pnpm does', () => {
    const cases: [Partial<VersionFacts>, TrustLevel][] = [
      [{}, 'none'],
      [{ provenance: false }, 'none'],
      [{ trustedPublisher: 'github' }, 'none'],
      [{ provenance: true }, 'provenance'],
      [{ provenance: true, trustedPublisher: 'github' }, 'trusted-publisher'],
      [{ approver: 'bob' }, 'staged'],
      [{ approver: 'bob', provenance: true, trustedPublisher: 'github' }, 'staged'],
    ];
    assert.deepStrictEqual(cases.map(([facts]) => trustLevel(v('1.0.0', facts))), cases.map(([, level]) => level));
  });

  it('isExcluded matches names and globs', () => {
    const cases: [string, string[], boolean][] = [
      ['left-pad', ['left-pad'], true],
      ['left-pad', ['left-*'], true],
      ['@myorg/tool', ['@myorg/*'], true],
      ['@myorg/tool', ['@other/*'], false],
      ['@myorg/tool', ['*'], false],
      ['@myorg/tool', ['**'], true],
      ['left-pad', ['left-pa?'], true],
      ['left.pad', ['left-pad'], false],
      ['leftxpad', ['left.pad'], false],
      ['left-pad', [], false],
      ['a/b/c', ['a/**'], true],
      ['a/b/c', ['a/*'], false],
      ['a/b/c', ['a/*/c'], true],
      ['ab', ['a**b'], true],
      ['left-pad', ['*-*'], true],
    ];
    assert.deepStrictEqual(cases.map(([name, globs]) => isExcluded(name, globs)), cases.map(([, , expected]) => expected));
  });

  it('isExcluded answers a pathological glob (no regular-expression backtracking)', () => {
    assert.deepStrictEqual([isExcluded('a'.repeat(214), [`${'*a'.repeat(100)}b`]), isExcluded('a'.repeat(214), [`${'*a'.repeat(100)}`])], [false, true]);
  });
});
