/** Makes workspace-controlled text (folder and file names) safe to show in a notification, where VS Code turns `[label](command:…)` into a live link. */

/**
 * Replaces the brackets and parentheses that make up a Markdown-style link with their fullwidth
 * forms, as VS Code itself does for untrusted names in notifications: a folder named
 * `[Open](command:workbench.action.terminal.new)` then reads the same but is no link (issue 7).
 */
export function inertLinkText(text: string): string {
  return text.replace(/[[\]()]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}
