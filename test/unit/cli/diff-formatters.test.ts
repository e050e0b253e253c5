/** The diff formatters: the JSON contract's key order, and hostile text from packages kept inert in text and Markdown. */

import assert from 'node:assert/strict';
import { formatDiffJson } from '../../../src/cli/formatters/diff-json';
import { code, escape, formatDiffMarkdown } from '../../../src/cli/formatters/diff-markdown';
import { formatDiffText } from '../../../src/cli/formatters/diff-text';
import type { DiffReport } from '../../../src/core/review/types';

const HOSTILE = 'evil`</details><img src=x onerror=alert(1)> @everyone #1 https://evil.example/[x](javascript:alert(1)) \u001b[31m\u202e';

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
      {
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
        message: `evil-patch 4.1.1 → 4.1.2 (patch): 4.1.2 adds \`postinstall: ${HOSTILE.replace(/`/g, "'")}\` that 4.1.1 did not have`,
      },
    ],
    findings: [
      {
        rule: 'install-script-added',
        severity: 'error',
        package: 'evil-patch',
        version: '4.1.2',
        message: `evil-patch@4.1.2 adds a postinstall script (${JSON.stringify(HOSTILE)}).`,
        evidence: { postinstall: HOSTILE },
        location: { file: 'package-lock.json', offset: 10, length: 5, line: 3, column: 5 },
        via: ['app-framework', 'evil-patch'],
      },
    ],
    configChanges: [],
    accepted: [],
    notChecked: [],
    errors: [],
    incomplete: false,
    policy: { minReleaseAgeDays: 7, minReleaseAgeExclude: [], allowScripts: {}, severities: {}, include: ['prod', 'dev', 'optional', 'peer'], ignore: [], origins: { minReleaseAgeDays: 'default' } },
    ...extra,
  };
}

describe('diff formatters', () => {
  it('writes the JSON keys in the documented order, with terminal controls escaped', () => {
    const text = formatDiffJson(report());
    const parsed = JSON.parse(text) as Record<string, unknown>;
    assert.deepStrictEqual(Object.keys(parsed), [
      'schemaVersion', 'root', 'base', 'head', 'now', 'incomplete', 'policy', 'changedFiles', 'lockfiles', 'changes', 'findings', 'configChanges', 'accepted', 'notChecked', 'errors',
    ]);
    assert.deepStrictEqual(Object.keys((parsed.changes as object[])[0]!), ['kind', 'file', 'name', 'from', 'to', 'level', 'direct', 'scope', 'via', 'source', 'location', 'message']);
    assert.deepStrictEqual([text.includes('\u202e'), text.includes('\\u202e'), (parsed.findings as { evidence: { postinstall: string } }[])[0]!.evidence.postinstall], [false, true, HOSTILE]);
  });

  it('keeps hostile package text inert in Markdown: no HTML, links, mentions, references or control characters', () => {
    const markdown = formatDiffMarkdown(report(), { failOn: 'error' });
    const withoutCode = markdown.replace(/`[^`\n]*`/g, '');
    assert.deepStrictEqual(
      [/(?<!\\)<(?!\/?details>|summary>|\/summary>)/.test(withoutCode), /@[a-z]/i.test(withoutCode), /(?<!\\)#\d/.test(withoutCode), /https?:\/\//.test(withoutCode), /\]\(/.test(withoutCode), /[\u0000-\u0009\u000b-\u001f\u202e]/.test(markdown)],
      [false, false, false, false, false, false],
    );
    assert.ok(markdown.includes('> [!CAUTION]\n> **`evil-patch@4.1.2`** · `install-script-added` · error\n'), markdown);
    assert.ok(markdown.includes('Reproduce locally: `dependency-risk diff --base main`'), markdown);
  });

  it('builds code spans their content cannot close, and escapes Markdown syntax (near misses: plain words stay readable)', () => {
    assert.deepStrictEqual(
      [code('a`b'), code(''), code('x'.repeat(200)).length, escape('plain words, 1.2.3'), escape('<b>*x*</b> @me'), escape('see https://a.example and www.b.example')],
      ['`a\'b`', '` `', 102, 'plain words, 1.2.3', '\\<b\\>\\*x\\*\\</b\\> @\u200bme', 'see https\\:\u200b//a.example and www\u200b.b.example'],
    );
  });

  it('prints text with the findings under their change, and terminal controls neutralised', () => {
    const text = formatDiffText(report(), { color: false });
    assert.deepStrictEqual([text.includes('\u001b'), text.includes('\\x1b[31m'), text.split('\n')[0]], [false, true, `Dependency changes: merge base of main and HEAD (${'a'.repeat(12)}) → HEAD (${'b'.repeat(12)})`]);
    assert.ok(text.includes('  upgraded   evil-patch 4.1.1 → 4.1.2 (patch): 4.1.2 adds'), text);
    assert.ok(text.includes('[via app-framework > evil-patch]\n               error    install-script-added  evil-patch@4.1.2 adds a postinstall script'), text);
    assert.ok(text.endsWith('1 change (1 upgraded); 1 finding (1 error, 0 warnings, 0 info).\n'), text);
  });

  it('keeps a 5,000-package change under the size budget, with exact counts and blocking findings first', () => {
    const base = report();
    const template = base.changes[0]!;
    const changes = Array.from({ length: 5000 }, (_, i) => ({ ...template, kind: 'added' as const, name: `@scope-${i}/${'n'.repeat(200)}`, from: undefined, message: `x (new): ${'long text '.repeat(100)}` }));
    const findings = Array.from({ length: 300 }, (_, i) => ({ ...base.findings[0]!, package: `pkg-${i}`, message: 'm'.repeat(2000) }));
    const markdown = formatDiffMarkdown(report({ changes, findings }), { failOn: 'error', maxLength: 60_000 });
    const shownAdded = (markdown.match(/^\| `@scope-/gm) ?? []).length;
    const shownBlocking = (markdown.match(/^> \[!CAUTION\]$/gm) ?? []).length;
    const more = /\*\*… and (\d+) more blocking findings\*\*/.exec(markdown);
    assert.ok(markdown.length <= 60_000, String(markdown.length));
    assert.deepStrictEqual(
      [markdown.includes('**300 blocking findings** in 5000 dependency changes.'), markdown.includes('<details><summary>Added (5000)</summary>'), shownBlocking > 0, shownBlocking + Number(more?.[1]), markdown.includes(`| … and ${5000 - shownAdded} more |`)],
      [true, true, true, 300, true],
    );
    assert.ok(markdown.trimEnd().endsWith('Reproduce locally: `dependency-risk diff --base main`'));
  });

  it('says when nothing changed, and when the review is incomplete', () => {
    const none = report({ changedFiles: [], lockfiles: [], changes: [], findings: [] });
    assert.equal(formatDiffText(none, { color: false }).split('\n')[1], 'No dependency file changed; nothing to review.');
    assert.ok(formatDiffMarkdown(none, { failOn: 'error' }).includes('No dependency file changed.'));
    const incomplete = report({ incomplete: true, findings: [], lockfiles: [{ file: 'bun.lockb', manager: 'bun', status: 'unreadable', reason: 'bun.lockb is binary.' }], changes: [] });
    assert.ok(formatDiffText(incomplete, { color: false }).includes('INCOMPLETE: part of the change could not be checked'));
    assert.ok(formatDiffMarkdown(incomplete, { failOn: 'error' }).includes('**Incomplete:**'));
  });
});
