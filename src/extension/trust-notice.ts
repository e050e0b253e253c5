/** Tells the user, once per workspace, that an untrusted workspace's own registry configuration (.npmrc, .yarnrc.yml, bunfig.toml) is not read. */

import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { Log } from './log';

/** workspaceState key: the notice was shown in this workspace. */
export const TRUST_NOTICE_SHOWN = 'dependencyRisk.untrustedConfigNoticeShown';

/**
 * Returns the callback the analyzer calls with the project configuration files an audit left unread.
 * Each file is logged once per session; the notification appears at most once per workspace (kept in
 * `state`), only when such a file exists, and offers "Manage Workspace Trust" and "Show Log".
 */
export function createTrustNotice(state: vscode.Memento, log: Log): (skipped: readonly string[]) => void {
  const logged = new Set<string>();
  let shown = state.get<boolean>(TRUST_NOTICE_SHOWN) === true;
  return (skipped) => {
    const fresh = skipped.filter((file) => !logged.has(file));
    for (const file of fresh) logged.add(file);
    if (fresh.length > 0) {
      log.info(`Untrusted workspace: not read (it could send registry requests and credentials elsewhere): ${fresh.join(', ')}. Only your user configuration is used.`);
    }
    if (shown || skipped.length === 0) return;
    shown = true;
    void state.update(TRUST_NOTICE_SHOWN, true);
    const names = [...new Set(skipped.map((file) => basename(file)))].join(', ');
    void vscode.window
      .showInformationMessage(
        `Dependency Risk: this workspace is not trusted, so its own ${names} is not read. Registry requests use only your user configuration, and may miss a private registry.`,
        'Manage Workspace Trust',
        'Show Log',
      )
      .then((choice) => {
        if (choice === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
        else if (choice === 'Show Log') log.show();
      });
  };
}
