/** Activates the extension: registers its features and returns at once; nothing is parsed or fetched until a project file needs it. */

import * as vscode from 'vscode';
import { dirname, join } from 'node:path';
import { Analyzer } from './analyzer';
import { registerCodeActions } from './code-actions';
import { registerCommands } from './commands';
import { registerCompareContents } from './compare-contents';
import { registerHover } from './hover';
import { createLog } from './log';
import { isProjectFile, Projects } from './projects';
import { registerStatus } from './status';
import { createTrustNotice } from './trust-notice';
import { findManifests, registerWatchers } from './watch';

/** Delay before the first workspace scan, so it never competes with the window's own start-up. */
const FIRST_SCAN_DELAY_MS = 1000;

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  const analyzer = new Analyzer(log, join(context.globalStorageUri.fsPath, 'histories'), createTrustNotice(context.workspaceState, log));
  const projects = new Projects(analyzer, log);
  context.subscriptions.push(
    log,
    analyzer,
    projects,
    registerStatus(projects),
    registerHover({ analyzer, projects, log }),
    registerCodeActions({ projects, log }),
    registerCommands({ projects, analyzer, log }),
    registerCompareContents({ projects, analyzer, log }),
    registerWatchers(projects, log),
  );
  if (!vscode.workspace.isTrusted) {
    log.info("Untrusted workspace: the project's .npmrc, .yarnrc.yml and bunfig.toml and the workspace's registry setting are not used.");
  }
  for (const document of vscode.workspace.textDocuments) {
    if (isProjectFile(document.uri)) projects.schedule(dirname(document.uri.fsPath), { immediate: true });
  }
  const scan = setTimeout(() => {
    void findManifests().then(
      (uris) => {
        for (const uri of uris) if (!projects.all().has(dirname(uri.fsPath))) projects.schedule(dirname(uri.fsPath));
      },
      (error: unknown) => log.warn(`workspace scan failed: ${String(error)}`),
    );
  }, FIRST_SCAN_DELAY_MS);
  context.subscriptions.push({ dispose: () => clearTimeout(scan) });
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions and disposed by VS Code.
}
