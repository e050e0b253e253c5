import assert from 'node:assert/strict';
import { changedFiles, isWithin, projectDirOf, roleOf } from '../../../src/core/review/files';
import { isAcceptableRef } from '../../../src/core/review/git';

describe('review/files', () => {
  it('knows which files decide the dependencies, and which project folder each belongs to', () => {
    const paths = [
      'package.json',
      'apps/web/package-lock.json',
      'apps/web/.npmrc',
      'pnpm-workspace.yaml',
      '.yarn/releases/yarn-4.1.0.cjs',
      'apps/api/.yarn/plugins/@yarnpkg/plugin-x.cjs',
      'patches/lodash+4.17.21.patch',
      'patches/README.md',
      '.github/dependabot.yml',
      'apps/web/.dependency-risk.json',
      'bun.lockb',
      'node_modules/left-pad/package.json',
      'src/index.ts',
      'docs/package.json.md',
    ];
    assert.deepStrictEqual(
      paths.map((path) => [path, roleOf(path) ?? null, roleOf(path) === undefined ? null : projectDirOf(path)]),
      [
        ['package.json', 'manifest', ''],
        ['apps/web/package-lock.json', 'lockfile', 'apps/web'],
        ['apps/web/.npmrc', 'npm-config', 'apps/web'],
        ['pnpm-workspace.yaml', 'pnpm-workspace', ''],
        ['.yarn/releases/yarn-4.1.0.cjs', 'yarn-release', ''],
        ['apps/api/.yarn/plugins/@yarnpkg/plugin-x.cjs', 'yarn-plugin', 'apps/api'],
        ['patches/lodash+4.17.21.patch', 'patch', ''],
        ['patches/README.md', null, null],
        ['.github/dependabot.yml', 'bot-config', ''],
        ['apps/web/.dependency-risk.json', 'acceptances', 'apps/web'],
        ['bun.lockb', 'lockfile', ''],
        ['node_modules/left-pad/package.json', null, null],
        ['src/index.ts', null, null],
        ['docs/package.json.md', null, null],
      ],
    );
  });

  it('lists the files whose content differs, added and removed ones included', () => {
    const base = new Map([['a', '1'], ['b', '2'], ['c', '3']]);
    const head = new Map([['a', '1'], ['b', '9'], ['d', '4']]);
    assert.deepStrictEqual(changedFiles(base, head), ['b', 'c', 'd']);
  });

  it('tells whether a path is inside a folder', () => {
    assert.deepStrictEqual([isWithin('apps/web', ''), isWithin('apps/web', 'apps'), isWithin('apps/website', 'apps/web'), isWithin('apps/web', 'apps/web')], [true, true, false, true]);
  });

  it('passes git only revisions as people write them, never an option or a range', () => {
    const accepted = ['main', 'origin/main', 'HEAD~2', 'HEAD^', 'v1.2.3', '@{upstream}', 'feature/x-1', '0123456789abcdef0123456789abcdef01234567'];
    const refused = ['-p', '--output=/tmp/x', 'main..evil', 'a b', 'HEAD:package.json', '', 'x\ny', `a${'b'.repeat(300)}`];
    assert.deepStrictEqual([accepted.filter(isAcceptableRef), refused.filter(isAcceptableRef)], [accepted, []]);
  });
});
