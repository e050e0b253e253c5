import assert from 'node:assert/strict';
import { partToMarkdown, renderContentLines } from '../../../src/extension/hover-render';

describe('renderContentLines (hover lines for content findings, issue 10)', () => {
  it('one line per finding: the rule as our Markdown, the first sentence of the message as inert text', () => {
    const parts = renderContentLines([
      { rule: 'contents-obfuscated', message: 'color-kit@1.2.1 grows index.js from 410 bytes to 3.2 KB with the shape of obfuscated code (102 _0x-style identifiers). Obfuscated code appended …' },
      { rule: 'install-script-target', message: "evil@1.0.1's postinstall script (new: \"node x.js\") runs [x](command:workbench.action.terminal.new) at https://evil.example/. npm runs it." },
    ]);
    assert.deepStrictEqual(parts.map((part) => part.kind), ['markdown', 'text', 'markdown', 'markdown', 'text', 'markdown']);
    assert.deepStrictEqual(parts[1], { kind: 'text', value: 'color-kit@1.2.1 grows index.js from 410 bytes to 3.2 KB with the shape of obfuscated code (102 _0x-style identifiers).' });
    const rendered = parts.map(partToMarkdown).join('');
    assert.ok(!rendered.includes('](command:'), rendered);
    assert.ok(!rendered.includes('https://evil'), rendered);
  });

  it('no findings, no lines (control)', () => {
    assert.deepStrictEqual(renderContentLines([]), []);
  });
});
