import assert from 'node:assert/strict';
import { diffLockedPackages } from '../../../src/core/review/diff-packages';
import type { PackageChange } from '../../../src/core/review/types';
import type { LockedPackage, Location } from '../../../src/core/types';

const FILE = 'package-lock.json';
const OPTIONS = { file: FILE, registryHosts: ['https://registry.npmjs.org/'] };

function at(line: number): Location {
  return { file: FILE, offset: line * 10, length: 5, line, column: 5 };
}

function pkg(name: string, version: string, extra: Partial<LockedPackage> = {}): LockedPackage {
  return {
    name,
    version,
    key: `node_modules/${name}`,
    dev: false,
    optional: false,
    peer: false,
    direct: true,
    source: 'registry',
    via: [name],
    workspace: '',
    ...extra,
  };
}

function names(changes: readonly PackageChange[]): string[] {
  return changes.map((c) => `${c.kind} ${c.name} ${c.from ?? '-'} ${c.to ?? '-'}`);
}

describe('review/diff-packages', () => {
  it('names an upgrade with its semver level and the new entry, never as a removal plus an addition', () => {
    const changes = diffLockedPackages([pkg('foo', '1.2.3')], [pkg('foo', '1.2.5', { location: at(9) })], OPTIONS);
    assert.deepStrictEqual(changes, [
      {
        kind: 'upgraded',
        file: FILE,
        name: 'foo',
        from: '1.2.3',
        to: '1.2.5',
        level: 'patch',
        direct: true,
        scope: 'prod',
        source: 'registry',
        location: at(9),
        message: 'foo 1.2.3 → 1.2.5 (patch)',
      },
    ]);
  });

  it('names a downgrade, with its level', () => {
    const changes = diffLockedPackages([pkg('foo', '2.1.0')], [pkg('foo', '2.0.3', { dev: true })], OPTIONS);
    assert.deepStrictEqual(changes, [
      { kind: 'downgraded', file: FILE, name: 'foo', from: '2.1.0', to: '2.0.3', level: 'minor', direct: true, scope: 'dev', source: 'registry', message: 'foo 2.1.0 → 2.0.3 (minor downgrade)' },
    ]);
  });

  it('names an added transitive package with its shortest chain and workspace, and a removed one without a location', () => {
    const before = [pkg('gone', '1.0.0', { location: at(3) })];
    const after = [
      pkg('evil', '4.1.2', { direct: false, key: 'node_modules/evil', via: ['a', 'b', 'evil'], workspace: 'packages/web', optional: true, location: at(4) }),
      pkg('evil', '4.1.2', { direct: false, key: 'node_modules/x/node_modules/evil', via: ['x', 'evil'], workspace: 'packages/web', location: at(8) }),
    ];
    assert.deepStrictEqual(diffLockedPackages(before, after, OPTIONS), [
      {
        kind: 'added',
        file: FILE,
        name: 'evil',
        to: '4.1.2',
        direct: false,
        scope: 'prod',
        via: ['x', 'evil'],
        workspace: 'packages/web',
        source: 'registry',
        location: at(8),
        message: 'evil 4.1.2 (new)',
      },
      { kind: 'removed', file: FILE, name: 'gone', from: '1.0.0', direct: true, scope: 'prod', source: 'registry', message: 'gone 1.0.0 removed' },
    ]);
  });

  it('names a second copy "added alongside" the version that stays', () => {
    const before = [pkg('ms', '2.1.3')];
    const after = [pkg('ms', '2.1.3'), pkg('ms', '3.0.0', { direct: false, key: 'node_modules/debug/node_modules/ms', via: ['debug', 'ms'] })];
    const changes = diffLockedPackages(before, after, OPTIONS);
    assert.deepStrictEqual(names(changes), ['added-alongside ms - 3.0.0']);
    assert.deepStrictEqual([changes[0]?.others, changes[0]?.message], [['2.1.3'], 'ms 3.0.0 added alongside 2.1.3']);
  });

  it('pairs old and new copies by lockfile slot before version distance', () => {
    const before = [pkg('ms', '1.0.0', { key: 'node_modules/ms' }), pkg('ms', '2.0.0', { key: 'node_modules/a/node_modules/ms', direct: false })];
    const after = [pkg('ms', '2.0.1', { key: 'node_modules/ms' }), pkg('ms', '1.0.1', { key: 'node_modules/a/node_modules/ms', direct: false })];
    assert.deepStrictEqual(names(diffLockedPackages(before, after, OPTIONS)), ['upgraded ms 1.0.0 2.0.1', 'downgraded ms 2.0.0 1.0.1']);
  });

  it('pairs by major and distance when no slot is shared (pnpm keys carry the version)', () => {
    const before = [pkg('ms', '1.0.0', { key: 'ms@1.0.0' }), pkg('ms', '2.0.0', { key: 'ms@2.0.0' })];
    const after = [pkg('ms', '2.1.0', { key: 'ms@2.1.0' }), pkg('ms', '1.0.5', { key: 'ms@1.0.5' })];
    assert.deepStrictEqual(names(diffLockedPackages(before, after, OPTIONS)), ['upgraded ms 1.0.0 1.0.5', 'upgraded ms 2.0.0 2.1.0']);
  });

  it('names a replaced git commit "changed", since commits cannot be ordered', () => {
    const before = [pkg('tool', 'github:a/b#1111111', { source: 'git' })];
    const after = [pkg('tool', 'github:a/b#2222222', { source: 'git' })];
    assert.deepStrictEqual(names(diffLockedPackages(before, after, OPTIONS)), ['changed tool github:a/b#1111111 github:a/b#2222222']);
  });

  it('names the same version from another host as a source change, and other bytes as an integrity change', () => {
    const before = [pkg('lib', '1.1.0', { integrity: 'sha512-AAAA' })];
    const after = [pkg('lib', '1.1.0', { resolved: 'https://evil.example/lib/-/lib-1.1.0.tgz?token=secret', integrity: 'sha512-BBBB', location: at(2) })];
    assert.deepStrictEqual(diffLockedPackages(before, after, OPTIONS), [
      {
        kind: 'source-changed',
        file: FILE,
        name: 'lib',
        from: '1.1.0',
        to: '1.1.0',
        before: { source: 'registry', integrity: 'sha512-AAAA' },
        after: { source: 'registry', resolved: 'https://evil.example/lib/-/lib-1.1.0.tgz?token=secret', integrity: 'sha512-BBBB' },
        direct: true,
        scope: 'prod',
        source: 'registry',
        location: at(2),
        message: 'lib 1.1.0: now from https://evil.example/lib/-/lib-1.1.0.tgz (was the configured registry)',
      },
      {
        kind: 'integrity-changed',
        file: FILE,
        name: 'lib',
        from: '1.1.0',
        to: '1.1.0',
        before: { source: 'registry', integrity: 'sha512-AAAA' },
        after: { source: 'registry', resolved: 'https://evil.example/lib/-/lib-1.1.0.tgz?token=secret', integrity: 'sha512-BBBB' },
        direct: true,
        scope: 'prod',
        source: 'registry',
        location: at(2),
        message: 'lib 1.1.0: the lockfile now records other bytes for the same version',
      },
    ]);
  });

  it('is quiet for registry aliases, a URL on the configured registry, and integrity strings that share no algorithm', () => {
    const before = [
      pkg('a', '1.0.0', { resolved: 'https://registry.yarnpkg.com/a/-/a-1.0.0.tgz#abc', integrity: 'sha1-Zm9v' }),
      pkg('b', '1.0.0'),
      pkg('c', '1.0.0', { integrity: 'sha512-X sha1-Y' }),
    ];
    const after = [
      pkg('a', '1.0.0', { resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz', integrity: 'sha512-QUJD' }),
      pkg('b', '1.0.0', { resolved: 'https://registry.npmjs.org/b/-/b-1.0.0.tgz' }),
      pkg('c', '1.0.0', { integrity: 'sha512-Z sha1-Y' }),
    ];
    assert.deepStrictEqual(diffLockedPackages(before, after, OPTIONS), []);
  });

  it('compares Yarn Berry checksums between revisions', () => {
    const before = [{ ...pkg('a', '1.0.0'), checksum: '10c0/aaa' }];
    const after = [{ ...pkg('a', '1.0.0'), checksum: '10c0/bbb' }];
    assert.deepStrictEqual(names(diffLockedPackages(before, after, OPTIONS)), ['integrity-changed a 1.0.0 1.0.0']);
  });

  it('ignores workspaces and links, and treats a missing side as empty', () => {
    const own = pkg('web', '0.0.0', { source: 'workspace' });
    assert.deepStrictEqual(diffLockedPackages(undefined, [own, pkg('a', '1.0.0')], OPTIONS).map((c) => c.kind), ['added']);
    assert.deepStrictEqual(diffLockedPackages([own, pkg('a', '1.0.0')], undefined, OPTIONS).map((c) => c.kind), ['removed']);
  });
});
