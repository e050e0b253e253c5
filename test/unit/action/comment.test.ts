/** The Action's pull-request comment: golden files, the size budget with a 5,000-package change, hostile names, and when to post. */

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMENT_BUDGET, decideComment, isStickyComment, renderPullRequestComment } from '../../../src/action/comment';
import type { DiffReport, PackageChange } from '../../../src/core/review/types';
import type { Finding } from '../../../src/core/types';

const GOLDEN = join(__dirname, '..', '..', 'fixtures', 'action');
const HOSTILE = 'evil`</details><img src=x onerror=alert(1)> @everyone #1 https://evil.example/[x](javascript:alert(1)) \u001b[31m\u202e';

/** Compares with test/fixtures/action/<name>.md; `UPDATE_GOLDEN=1 npm run test:unit` rewrites the files. */
function assertGolden(name: string, actual: string): void {
  const file = join(GOLDEN, `${name}.md`);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'));
}

const upgrade: PackageChange = {
  kind: 'upgraded',
  file: 'package-lock.json',
  name: 'evil-patch',
  from: '4.1.1',
  to: '4.1.2',
  level: 'patch',
  direct: false,
  scope: 'prod',
  via: ['app-framework', 'evil-patch'],
  source: 'registry',
  location: { file: 'package-lock.json', offset: 10, length: 5, line: 3, column: 5 },
  message: 'evil-patch 4.1.1 → 4.1.2 (patch): 4.1.2 adds `postinstall: node setup.js` that 4.1.1 did not have; published 3 h ago by `mallory`; 4.1.1 and the 40 releases before it by `alice`; 4.1.1 had provenance, 4.1.2 has none',
};

const blocking: Finding = {
  rule: 'install-script-added',
  severity: 'error',
  package: 'evil-patch',
  version: '4.1.2',
  message: 'evil-patch@4.1.2 adds a postinstall script ("node setup.js") that 4.1.1 did not have.',
  evidence: { postinstall: 'node setup.js' },
  location: { file: 'package-lock.json', offset: 10, length: 5, line: 3, column: 5 },
  via: ['app-framework', 'evil-patch'],
};

function report(extra: Partial<DiffReport> = {}): DiffReport {
  return {
    schemaVersion: 1,
    root: '/repo',
    base: { ref: 'main', commit: 'a'.repeat(40), kind: 'commit', mergeBaseWith: 'HEAD' },
    head: { ref: 'HEAD', commit: 'b'.repeat(40), kind: 'commit' },
    now: '2025-10-05T12:00:00.000Z',
    changedFiles: ['package-lock.json'],
    lockfiles: [{ file: 'package-lock.json', manager: 'npm', format: 'npm', status: 'changed' }],
    changes: [
      upgrade,
      { ...upgrade, kind: 'added', name: 'left-pad', from: undefined, to: '1.3.0', level: undefined, direct: true, via: undefined, scope: 'dev', message: 'left-pad 1.3.0 (new): published 4 years ago by `stevemao`' },
      { ...upgrade, kind: 'downgraded', name: 'lodash', from: '4.17.21', to: '4.17.20', level: 'patch', direct: true, via: undefined, message: 'lodash 4.17.21 → 4.17.20 (patch)' },
      { ...upgrade, kind: 'removed', name: 'is-odd', from: '3.0.1', to: undefined, level: undefined, via: ['app-framework', 'is-odd'], message: 'is-odd 3.0.1 removed' },
    ],
    findings: [blocking, { ...blocking, rule: 'fresh-release', severity: 'warning', message: 'evil-patch@4.1.2 was published 3 hours ago; policy asks for 7 days.' }],
    configChanges: [
      { file: '.npmrc', setting: 'min-release-age', before: '7', after: '1', weakens: true, message: 'min-release-age lowered from 7 days to 1' },
      { file: '.npmrc', setting: 'registry', before: 'https://registry.npmjs.org/', after: 'https://registry.example/', weakens: true, message: 'registry changed from https://registry.npmjs.org/ to https://registry.example/' },
    ],
    accepted: [],
    notChecked: [{ name: 'private-thing', version: '1.0.0', reason: 'the registry answered 401: unauthorised' }],
    errors: [],
    incomplete: false,
    policy: { minReleaseAgeDays: 7, minReleaseAgeExclude: [], allowScripts: {}, severities: {}, include: ['prod', 'dev', 'optional', 'peer'], ignore: [], origins: { minReleaseAgeDays: '.npmrc min-release-age' } },
    ...extra,
  };
}

describe('pull-request comment', () => {
  it('renders a review with a blocking finding: marker, alert block first, counts, tables, policy changes, not checked, reproduce', () => {
    const body = renderPullRequestComment(report(), { failOn: 'error' });
    assertGolden('blocking', body);
    assert.ok(isStickyComment(body));
    assert.ok(body.indexOf('> [!CAUTION]') < body.indexOf('<details>'), 'blocking findings come before any folded section');
  });

  it('renders a clean review, and says so when an earlier push had blocking findings (control: no note without one)', () => {
    const clean = report({ findings: [], configChanges: [], notChecked: [] });
    const earlier = renderPullRequestComment(report(), { failOn: 'error' });
    const fixed = renderPullRequestComment(clean, { failOn: 'error', previous: earlier });
    assertGolden('fixed', fixed);
    assert.ok(fixed.includes('The 1 blocking finding reported for an earlier push is fixed.'));
    assert.ok(!renderPullRequestComment(clean, { failOn: 'error' }).includes('earlier push'));
  });

  it('keeps hostile package names, scripts and URLs inert: no HTML, links, mentions or references from data', () => {
    const changes = report().changes.map((c) => ({ ...c, name: `${c.name}${HOSTILE}`, via: c.via?.map((v) => `${v}${HOSTILE}`), message: `${c.name}: ${HOSTILE}` }));
    const findings = report().findings.map((f) => ({ ...f, package: `@everyone/${HOSTILE}`, message: `${HOSTILE} ${'x'.repeat(2000)}` }));
    const notChecked = [{ name: `@${HOSTILE}`, version: HOSTILE, reason: HOSTILE }];
    const configChanges = [{ file: `.npmrc${HOSTILE}`, setting: 'registry', weakens: true, message: HOSTILE }];
    const body = renderPullRequestComment(report({ changes, findings, notChecked, configChanges }), { failOn: 'error' });
    assertGolden('hostile', body);
    const outsideCode = body.replace(/`[^`\n]*`/g, '');
    assert.deepStrictEqual(
      {
        html: /(?<!\\)<(?!\/?details>|summary>|\/summary>|!-- dependency-risk:pull-request-comment )/.test(outsideCode),
        mention: /(?<![`\\])@[a-z]/i.test(outsideCode),
        reference: /(?<!\\)#\d/.test(outsideCode),
        url: /https?:\/\//.test(outsideCode),
        link: /\]\(/.test(outsideCode),
        controls: /[\u0000-\u0009\u000b-\u001f\u202e]/.test(body),
        longCodeSpan: (body.match(/`[^`\n]*`/g) ?? []).some((span) => span.length > 102),
      },
      { html: false, mention: false, reference: false, url: false, link: false, controls: false, longCodeSpan: false },
    );
  });

  it('keeps a 5,000-package change under 60,000 characters with exact counts, the blocking findings first and the footer kept', () => {
    const changes = Array.from({ length: 5000 }, (_, i): PackageChange => ({ ...upgrade, kind: 'added', name: `@scope-${String(i).padStart(4, '0')}/${'n'.repeat(200)}`, from: undefined, level: undefined, message: `x (new): ${'long text '.repeat(100)}` }));
    const findings = Array.from({ length: 300 }, (_, i): Finding => ({ ...blocking, package: `pkg-${String(i).padStart(3, '0')}`, message: 'm'.repeat(2000) }));
    const notChecked = Array.from({ length: 5000 }, (_, i) => ({ name: `nc-${i}`, version: '1.0.0', reason: 'timed out '.repeat(40) }));
    const body = renderPullRequestComment(report({ changes, findings, notChecked }), { failOn: 'error' });
    assertGolden('large', body);
    const shownAdded = (body.match(/^\| `@scope-/gm) ?? []).length;
    const shownBlocking = (body.match(/^> \[!CAUTION\]$/gm) ?? []).length;
    const more = /\*\*… and (\d+) more blocking findings\*\*/.exec(body);
    assert.ok(body.length <= COMMENT_BUDGET, String(body.length));
    assert.deepStrictEqual(
      [body.startsWith('<!-- dependency-risk:pull-request-comment blocking=300 findings=300 -->\n'), body.includes('**300 blocking findings** in 5000 dependency changes.'), body.includes('| findings | 300 | 0 | 0 |'), body.includes('<details><summary>Added (5000)</summary>'), shownBlocking + Number(more?.[1] ?? 0), body.includes(`| … and ${5000 - shownAdded} more |`)],
      [true, true, true, true, 300, true],
    );
    assert.ok(body.trimEnd().endsWith('Reproduce locally: `dependency-risk diff --base main`'));
  });

  it('decides when to post: never, on findings, always; edits an existing comment only when its text changed', () => {
    const risky = report();
    const clean = report({ findings: [], notChecked: [] });
    const unchanged = report({ changedFiles: [], lockfiles: [], changes: [], findings: [], configChanges: [], notChecked: [] });
    const body = renderPullRequestComment(risky, { failOn: 'error' });
    assert.deepStrictEqual(
      [
        decideComment(risky, 'never', body, undefined),
        decideComment(risky, 'on-findings', body, undefined),
        decideComment(clean, 'on-findings', body, undefined),
        decideComment(clean, 'always', body, undefined),
        decideComment(unchanged, 'always', body, undefined),
        decideComment(clean, 'on-findings', body, 'old body'),
        decideComment(risky, 'always', body, body),
        decideComment(risky, 'always', body, renderPullRequestComment({ ...risky, now: '2025-10-06T08:00:00.000Z' }, { failOn: 'error' })),
      ],
      ['none', 'create', 'none', 'create', 'none', 'update', 'keep', 'keep'],
    );
  });
});
