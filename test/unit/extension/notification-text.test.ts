import assert from 'node:assert/strict';
import { inertLinkText } from '../../../src/extension/notification-text';

/** VS Code's LINK_REGEX for notification messages (src/vs/base/common/linkedText.ts). */
const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

describe('inertLinkText (issue 7)', () => {
  it('turns a folder name shaped like a command link into text no notification links', () => {
    const name = '[Open](command:workbench.action.terminal.new)/package.json';
    assert.equal(LINK.test(name), true, 'control: VS Code would link the raw name');
    LINK.lastIndex = 0;
    const shown = inertLinkText(name);
    assert.equal(shown, '［Open］（command:workbench.action.terminal.new）/package.json');
    assert.equal(LINK.test(shown), false);
  });

  it('leaves ordinary paths alone', () => {
    assert.equal(inertLinkText('packages/web-app/package.json'), 'packages/web-app/package.json');
  });
});
