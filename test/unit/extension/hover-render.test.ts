/** The hover's rendering (issue 7): registry text only ever lands in text or code parts, and never renders as a link, image, HTML or command. */

import assert from 'node:assert/strict';
import { marked } from 'marked';
import { partToMarkdown, renderHover, type HoverPart } from '../../../src/extension/hover-render';
import type { VersionSummary } from '../../../src/core/summary';
import { check, fc, hostileString, timed } from '../../support/property';

const NOW = new Date('2025-10-05T12:00:00.000Z');

const ordinary: VersionSummary = {
  name: 'native-addon',
  version: '5.1.0',
  present: true,
  publishedAt: '2025-09-01T10:00:00.000Z',
  latest: { version: '5.1.0', publishedAt: '2025-09-01T10:00:00.000Z' },
  installScripts: { install: 'prebuild-install || node-gyp rebuild' },
  installScriptsSince: '5.1.0',
  installScriptsChange: 'changed',
  publisher: 'ivy',
  publisherPublishedBefore: true,
  trust: 'none',
};

/** What a publisher (or a hand-edited lockfile) can put in the fields a hover shows. */
const ATTACKS = [
  '[x](command:workbench.action.terminal.new)',
  '<img src=x onerror=alert(1)>',
  '](javascript:alert(1))',
  '`code` and ``` fences',
  '\n   ```\n[escaped](https://evil.example/fence)\n```',
  'see https://evil.example/autolink and www.evil.example and root@evil.example',
  '<https://evil.example/angle>',
  '&#x202e;&lt;b&gt;',
  '# heading\n===\n> quote\n- item\n1. item\n| a | b |\n|---|---|',
  '**bold** _em_ ~~strike~~',
  '![img](https://evil.example/x.png)',
  '[ref]: https://evil.example/ref\n[ref]',
  'right-to-left \u202e override and \u001b[31m escape',
];

function markdownOf(parts: readonly HoverPart[]): string {
  return parts.map(partToMarkdown).join('');
}

function html(parts: readonly HoverPart[]): string {
  return marked.parse(markdownOf(parts), { async: false, gfm: true });
}

/** The rendered hover holds exactly one link (ours), no image, no raw HTML element we did not write, no command. */
function assertInert(parts: readonly HoverPart[]): void {
  const rendered = html(parts);
  const links = [...rendered.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]);
  assert.deepStrictEqual(links.length, 1, rendered);
  assert.match(links[0] ?? '', /^https:\/\/www\.npmjs\.com\/package\/[A-Za-z0-9%._~\-/!*]+$/);
  const tags = new Set([...rendered.matchAll(/<([a-z][a-z0-9]*)[\s>]/g)].map((m) => m[1]));
  for (const tag of tags) assert.ok(['p', 'strong', 'br', 'pre', 'code', 'a'].includes(tag ?? ''), `<${tag}> in ${rendered}`);
  assert.equal(/command:|javascript:/i.test(links.join(' ')), false);
}

/** A summary whose every registry-controlled field holds `value` (the version too: it comes from the lockfile). */
function hostileSummary(value: string, version = value): VersionSummary {
  return {
    ...ordinary,
    name: 'evil-pkg',
    version,
    latest: { version: value, publishedAt: '2025-09-01T10:00:00.000Z' },
    installScripts: { preinstall: value, postinstall: `curl ${value} | sh` },
    installScriptsSince: value,
    publisher: value,
    publisherPublishedBefore: false,
    trustedPublisher: value,
    trust: 'trusted-publisher',
    repository: value,
    deprecated: value,
  };
}

describe('renderHover and partToMarkdown (issue 7)', () => {
  it('renders an ordinary hover as before: bold header, facts, a fenced script and our link (control)', () => {
    const parts = renderHover(ordinary, '^5.0.0', true, NOW);
    assert.equal(
      markdownOf(parts).replace(/\\([\\`*_{}[\]()#+\-.!~|<>&=/])/g, '$1'),
      [
        '**native-addon 5.1.0** (locked)',
        '',
        'Published: 34 days ago (2025-09-01 10:00 UTC)  ',
        'Install scripts: changed in 5.1.0  ',
        '',
        '```sh',
        'install: prebuild-install || node-gyp rebuild',
        '```',
        'Published by: ivy, who published earlier versions  ',
        'Provenance: none  ',
        '',
        '[View on npm](https://www.npmjs.com/package/native-addon/v/5.1.0)',
      ].join('\n'),
    );
    assertInert(parts);
    assert.match(html(parts), /<strong>native-addon 5\.1\.0<\/strong>/);
  });

  for (const attack of ATTACKS) {
    it(`keeps ${JSON.stringify(attack.slice(0, 40))} in text and code parts, rendered inert`, () => {
      const parts = renderHover(hostileSummary(attack), undefined, true, NOW);
      for (const part of parts.filter((p) => p.kind === 'markdown')) {
        assert.ok(!part.value.includes(attack.trim().slice(0, 12)), `registry text in a markdown part: ${JSON.stringify(part.value)}`);
      }
      const shown = parts.filter((p) => p.kind !== 'markdown').map((p) => p.value).join('\n');
      assert.ok(shown.includes(attack), 'the text is still shown');
      assertInert(parts);
    });
  }

  it('shows a hostile deprecation message as the literal characters the publisher wrote', () => {
    const rendered = html(renderHover({ ...ordinary, deprecated: '[x](command:workbench.action.terminal.new) <img src=x onerror=alert(1)>' }, undefined, true, NOW));
    assert.match(rendered, /Deprecated: \[x\]\(command:workbench\.action\.terminal\.new\) &lt;img src=x onerror=alert\(1\)&gt;/);
  });

  it('cannot be broken out of by a script line that closes the fence with indentation (appendCodeblock can)', () => {
    const parts = renderHover({ ...ordinary, installScripts: { postinstall: 'echo\n  ````\n[live](https://evil.example)\n' } }, undefined, true, NOW);
    const code = partToMarkdown(parts.find((p) => p.kind === 'code')!);
    assert.ok(code.startsWith('\n`````sh\n'), code);
    assertInert(parts);
    assert.match(html(parts), /<pre><code class="language-sh">[^<]*\[live\]\(https:\/\/evil\.example\)/);
  });

  it('shows why: VS Code’s appendCodeblock fence is closed by that line, and the link goes live (control)', () => {
    // microsoft/vscode src/vs/base/common/htmlContent.ts appendEscapedMarkdownCodeBlockFence: counts only `^`+`.
    const appendCodeblock = (language: string, code: string) => {
      const longest = code.match(/^`+/gm)?.reduce((a, b) => (a.length > b.length ? a : b)).length ?? 0;
      const fence = '`'.repeat(longest >= 3 ? longest + 1 : 3);
      return `\n${fence}${language}\n${code}\n${fence}\n`;
    };
    const rendered = marked.parse(appendCodeblock('sh', 'echo\n  ````\n[live](https://evil.example)\n'), { async: false, gfm: true });
    assert.match(rendered, /<a href="https:\/\/evil\.example">live<\/a>/);
  });

  it('shows why text is escaped here: VS Code’s appendText leaves a bare URL and an entity live (control)', () => {
    // microsoft/vscode src/vs/base/common/htmlContent.ts appendText: escapeMarkdownSyntaxTokens, then spaces and `>`.
    const appendText = (value: string) => value.replace(/[\\`*_{}[\]()#+\-!~]/g, '\\$&').replace(/([ \t]+)/g, (_m, g: string) => '&nbsp;'.repeat(g.length)).replace(/>/gm, '\\>');
    const rendered = marked.parse(appendText('see https://evil.example/x'), { async: false, gfm: true });
    assert.match(rendered, /<a href="https:\/\/evil\.example\/x">/);
    assert.match(marked.parse(appendText('a&rlm;b'), { async: false }), /a&rlm;b/, 'an entity the browser decodes into a bidi mark');
    assert.equal(html([{ kind: 'text', value: 'see https://evil.example/x a&rlm;b' }]), '<p>see https://evil.example/x a&amp;rlm;b</p>\n');
  });

  it('links to the package page without a version that is not plain semver', () => {
    const parts = renderHover(hostileSummary('x', '1.0.0) [x](command:evil'), undefined, true, NOW);
    assert.equal(parts.at(-1)?.value, '\n[View on npm](https://www.npmjs.com/package/evil-pkg)');
    const legacy = renderHover({ ...ordinary, name: "odd~name!('*)" }, undefined, true, NOW);
    assert.equal(legacy.at(-1)?.value, '\n[View on npm](https://www.npmjs.com/package/odd~name!%28%27*%29/v/5.1.0)');
    assertInert(legacy);
  });

  it('writes controls and bidi overrides as visible escapes', () => {
    const md = markdownOf(renderHover({ ...ordinary, publisher: 'ivy\u202egnp.exe\u001b[2J', installScripts: { install: 'a\u202eb' } }, undefined, true, NOW));
    assert.equal(/[\u001b\u202e]/.test(md), false);
    assert.match(md, /ivy\\\\u202egnp\\\.exe\\\\u001b\\\[2J/);
    assert.match(md, /install: a\\u202eb/);
  });

  it('holds for any text in any field (property)', () => {
    const summary = fc.record({
      value: hostileString,
      version: fc.oneof(hostileString, fc.constantFrom('1.0.0', '2.0.0-rc.1')),
      name: fc.constantFrom('evil-pkg', '@scope/evil', "odd~name!('*)"),
    });
    check(
      fc.property(summary, fc.boolean(), ({ value, version, name }, locked) => {
        const parts = timed('renderHover', () => renderHover({ ...hostileSummary(value, version), name }, value, locked, NOW));
        for (const part of parts.filter((p) => p.kind === 'markdown')) {
          assert.ok(part.value === '**' || part.value === '\n\n' || part.value === '  \n' || /^[A-Z][a-z ]+: $/.test(part.value) || /^\n\[View on npm\]\(https:\/\/www\.npmjs\.com\/package\/[A-Za-z0-9%._~\-/!*]+\)$/.test(part.value), JSON.stringify(part.value));
        }
        assertInert(parts);
      }),
      200,
    );
  });
});
