import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentsRules } from '../../../src/core/contents/rules';
import type { InspectedTarball } from '../../../src/core/contents/types';
import { rules } from '../../../src/core/rules';
import { contentsInput, file, js, manifest, MINIFIED, OBFUSCATED, tarball, use } from '../contents/rules/helpers';
import { fixture, input, policy } from './helpers';

const ROOT = join(__dirname, '..', '..', '..');
const ids = rules.map((rule) => rule.meta.id);
const contentIds = contentsRules.map((rule) => rule.meta.id);

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
});
