import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../../../src/core/rules';
import { fixture, input, policy } from './helpers';

const ROOT = join(__dirname, '..', '..', '..');
const ids = rules.map((rule) => rule.meta.id);

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
});
