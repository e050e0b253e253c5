import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentsRules } from '../../../src/core/contents/rules';
import type { InspectedTarball } from '../../../src/core/contents/types';
import { rules } from '../../../src/core/rules';
import { reviewRules } from '../../../src/core/review/rules';
import type { ReviewRule } from '../../../src/core/review/rules/types';
import type { ProjectConfig } from '../../../src/core/review/types';
import { contentsInput, file, js, manifest, MINIFIED, OBFUSCATED, tarball, use } from '../contents/rules/helpers';
import { fixture, input, policy } from './helpers';

const ROOT = join(__dirname, '..', '..', '..');
const ids = rules.map((rule) => rule.meta.id);
const contentIds = contentsRules.map((rule) => rule.meta.id);
const reviewIds = reviewRules.map((rule) => rule.meta.id);

function checkDocPage(id: string): void {
  const page = join(ROOT, 'docs', 'rules', `${id}.md`);
  assert.ok(existsSync(page), `docs/rules/${id}.md`);
  const text = readFileSync(page, 'utf8');
  const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  assert.deepStrictEqual(headings, ['What it flags', 'Why it matters', 'How to fix', 'When it is safe to ignore', 'Settings']);
  assert.ok(text.startsWith(`# ${id}\n`), 'title is the rule id');
}

describe('rules/index', () => {
  it('lists rules sorted by id, each id unique', () => {
    assert.deepStrictEqual(ids, [...new Set(ids)].sort());
  });

  for (const rule of rules) {
    const id = rule.meta.id;
    describe(id, () => {
      it('has a kebab-case id, a description and a module named after it', () => {
        assert.match(id, /^[a-z]+(-[a-z]+)*$/);
        assert.ok(rule.meta.description.length > 0);
        assert.ok(existsSync(join(ROOT, 'src', 'core', 'rules', `${id}.ts`)), `src/core/rules/${id}.ts`);
      });
      it('never throws on odd input (unknown versions, bad ranges, odd policies)', () => {
        const odd = ['', 'garbage', '1.0.0', '0.0.1-security', '99.0.0', '__proto__', 'v1.0.0'];
        const histories = ['evil-patch', 'mirror-style', 'unpublished-pkg', 'security-holder'].map(fixture);
        for (const h of histories) {
          for (const version of odd) {
            for (const range of [undefined, '', 'garbage', '*', 'latest', '^1 || ^4', '__proto__']) {
              const oddPolicy = policy({ minReleaseAgeDays: Number.NaN, minReleaseAgeExclude: ['**', ''], allowScripts: { '': true, [`${h.name}@garbage`]: false } });
              assert.doesNotThrow(() => rule.check(input(h, version, { range })));
              assert.doesNotThrow(() => rule.check(input(h, version, { range, policy: oddPolicy })));
            }
          }
        }
      });
      it('has a table test', () => {
        assert.ok(existsSync(join(ROOT, 'test', 'unit', 'rules', `${id}.test.ts`)), `test/unit/rules/${id}.test.ts`);
      });
      it('has a doc page with the required sections', () => {
        const page = join(ROOT, 'docs', 'rules', `${id}.md`);
        assert.ok(existsSync(page), `docs/rules/${id}.md`);
        const text = readFileSync(page, 'utf8');
        const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
        assert.deepStrictEqual(headings, ['What it flags', 'Why it matters', 'How to fix', 'When it is safe to ignore', 'Settings']);
        assert.ok(text.startsWith(`# ${id}\n`), 'title is the rule id');
      });
    });
  }

  describe('content rules (src/core/contents/rules/index.ts)', () => {
    it('lists content rules sorted by id, each unique, none shared with the version-history rules', () => {
      assert.deepStrictEqual(contentIds, [...new Set(contentIds)].sort());
      assert.deepStrictEqual(contentIds.filter((id) => ids.includes(id)), []);
    });

    const odd: InspectedTarball[] = [
      tarball([], undefined),
      tarball([js('index.js', 0, 'z', OBFUSCATED, [use('eval', 'eval')]), file('x.node', 1, 'n', { binary: 'node-addon' })], manifest({ main: '../../../etc/passwd', scripts: { install: '', postinstall: '&& || ;' } })),
      tarball([js('__proto__', 1, 'p', MINIFIED)], manifest({ bin: { constructor: '__proto__' }, exports: ['', '.', '..'], scripts: { preinstall: 'node __proto__' } })),
    ];
    for (const rule of contentsRules) {
      const id = rule.meta.id;
      describe(id, () => {
        it('has a kebab-case id, a description and a module named after it', () => {
          assert.match(id, /^[a-z]+(-[a-z]+)*$/);
          assert.ok(rule.meta.description.length > 0);
          assert.ok(existsSync(join(ROOT, 'src', 'core', 'contents', 'rules', `${id}.ts`)), `src/core/contents/rules/${id}.ts`);
        });
        it('never throws on odd summaries (empty, no manifest, hostile paths and scripts)', () => {
          for (const before of [undefined, ...odd]) {
            for (const after of odd) {
              for (const version of ['', 'garbage', '1.0.1', '2.0.0-beta.1']) {
                assert.doesNotThrow(() => rule.check({ ...contentsInput(before, after, { version, published: { scripts: { postinstall: 'x' } } }) }));
              }
            }
          }
        });
        it('has a table test', () => {
          assert.ok(existsSync(join(ROOT, 'test', 'unit', 'contents', 'rules', `${id}.test.ts`)), `test/unit/contents/rules/${id}.test.ts`);
        });
        it('has a doc page with the required sections', () => checkDocPage(id));
      });
    }
  });
  describe('lockfile and review rules (src/core/review/rules/index.ts)', () => {
    it('lists review rules sorted by id, each unique, none shared with the other lists', () => {
      assert.deepStrictEqual(reviewIds, [...new Set(reviewIds)].sort());
      assert.deepStrictEqual(reviewIds.filter((id) => ids.includes(id) || contentIds.includes(id)), []);
    });

    it('are the lockfile-integrity and review ids DESIGN.md names, no more and no fewer', () => {
      assert.deepStrictEqual(reviewIds, [
        'downgrade',
        'integrity-mismatch',
        'integrity-missing',
        'lockfile-inconsistent',
        'lockfile-integrity-changed',
        'lockfile-source-changed',
        'non-registry-source',
        'package-manager-changed',
        'policy-weakened',
        'tarball-url-mismatch',
        'version-not-in-registry',
      ]);
    });

    const histories = ['evil-patch', 'mirror-style', 'unpublished-pkg', 'security-holder'].map(fixture);
    const oddConfig = (extra: Partial<ProjectConfig> = {}): ProjectConfig => ({
      minReleaseAgeExclude: ['', '**', '__proto__@'],
      allowScripts: { '': true, __proto__: true, 'x@garbage': true } as Record<string, boolean>,
      registry: 'not a url',
      scopes: { '@s': '' },
      registryFile: '',
      managerCode: { '': '' },
      pins: {},
      ...extra,
    });
    const oddPolicy = policy({ minReleaseAgeDays: Number.NaN, minReleaseAgeExclude: ['**', ''] });
    function exercise(rule: ReviewRule): void {
      for (const version of ['', 'garbage', '1.0.0', '4.1.2', '__proto__']) {
        for (const resolved of [undefined, '', 'garbage', 'http://', 'https://registry.npmjs.org/x/-/x-1.0.0.tgz', 'git+ssh://u:p@h/r.git#x', 'file:../x']) {
          for (const integrity of [undefined, '', 'sha512-', 'md5-x', 'sha1-AAAA sha512-BBBB']) {
            const entry = { name: '__proto__', version, key: 'node_modules/x, x@^1', resolved, integrity, dev: false, optional: false, peer: false, direct: false, source: 'registry' as const, via: [], workspace: '' };
            const change = { kind: 'upgraded' as const, file: '', name: '', from: version, to: version, direct: false, scope: 'prod' as const, source: 'registry' as const, message: '', before: { source: 'git' as const, resolved, integrity, checksum: '/' }, after: { source: 'registry' as const, checksum: '' } };
            for (const history of [undefined, ...histories]) {
              if (rule.kind === 'entry') assert.doesNotThrow(() => rule.check({ entry, format: 'yarn-classic', history, registry: resolved, policy: oddPolicy, now: input(histories[0]!, '1.0.0').now }));
              if (rule.kind === 'change') {
                for (const kind of ['upgraded', 'downgraded', 'source-changed', 'integrity-changed', 'removed'] as const) {
                  assert.doesNotThrow(() => rule.check({ change: { ...change, kind }, before: [entry], after: [], ranges: ['', 'garbage', '^1', '__proto__'], policy: oddPolicy, now: new Date(0) }));
                }
              }
            }
          }
        }
      }
      if (rule.kind === 'config') {
        const changes = [{ kind: 'added' as const, file: '', name: '__proto__', to: '', direct: true, scope: 'prod' as const, source: 'registry' as const, message: '' }];
        for (const before of [undefined, oddConfig(), oddConfig({ minReleaseAge: { days: Number.NaN, origin: '' }, trustPolicy: 'x', packageManager: '' })]) {
          assert.doesNotThrow(() => rule.check({ before, after: oddConfig({ minReleaseAge: { days: -1, origin: '' } }), dir: '..', changes, policy: oddPolicy, now: new Date(0) }));
        }
      }
    }

    for (const rule of reviewRules) {
      const id = rule.meta.id;
      describe(id, () => {
        it('has a kebab-case id, a description and a module named after it', () => {
          assert.match(id, /^[a-z]+(-[a-z]+)*$/);
          assert.ok(rule.meta.description.length > 0);
          assert.ok(existsSync(join(ROOT, 'src', 'core', 'review', 'rules', `${id}.ts`)), `src/core/review/rules/${id}.ts`);
        });
        it('never throws on odd input (hostile names, versions, URLs, integrities, configurations)', () => exercise(rule));
        it('has a table test', () => {
          assert.ok(existsSync(join(ROOT, 'test', 'unit', 'review', 'rules', `${id}.test.ts`)), `test/unit/review/rules/${id}.test.ts`);
        });
        it('has a doc page with the required sections', () => checkDocPage(id));
      });
    }
  });
});
