/** The palette commands: audit the workspace or the current file, refresh, clear the cache, show the log, ignore a finding. */

import * as vscode from 'vscode';
import { dirname } from 'node:path';
import type { Analyzer } from './analyzer';
import { IGNORE_COMMAND } from './code-actions';
import { reportUnexpected, type Log } from './log';
import { inertLinkText } from './notification-text';
import { isProjectFile, type Projects } from './projects';
import { SECTION } from './settings';
import { AUDIT_WORKSPACE_COMMAND } from './status';
import { findManifests } from './watch';

export interface CommandDeps {
  readonly projects: Projects;
  readonly analyzer: Analyzer;
  readonly log: Log;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable {
  const guarded = (name: string, run: (...args: unknown[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(name, async (...args: unknown[]) => {
      try {
        return await run(...args);
      } catch (error) {
        reportUnexpected(deps.log, name, error);
        return undefined;
      }
    });
  return vscode.Disposable.from(
    guarded(AUDIT_WORKSPACE_COMMAND, () => auditWorkspace(deps, false)),
    guarded('dependencyRisk.refresh', () => auditWorkspace(deps, true)),
    guarded('dependencyRisk.auditFile', () => auditCurrentFile(deps)),
    guarded('dependencyRisk.clearCache', async () => {
      await deps.analyzer.clearCache();
      deps.log.info('cache cleared');
      void vscode.window.showInformationMessage('Dependency Risk: cache cleared.');
    }),
    guarded('dependencyRisk.showLog', async () => deps.log.show()),
    guarded(IGNORE_COMMAND, (uri, entry) => ignoreFinding(uri, entry)),
  );
}

/** Audits every package.json in the workspace with the registry, under a cancellable progress notification. */
async function auditWorkspace(deps: CommandDeps, refresh: boolean): Promise<{ projects: number; findings: number; byRule: Record<string, number> }> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Dependency Risk', cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        const manifests = await findManifests(token);
        const byRule: Record<string, number> = {};
        let findings = 0;
        let done = 0;
        for (const uri of manifests) {
          if (token.isCancellationRequested) break;
          progress.report({ message: `auditing ${inertLinkText(vscode.workspace.asRelativePath(uri))} (${done + 1}/${manifests.length})`, increment: 100 / Math.max(1, manifests.length) });
          const state = await deps.projects.run(dirname(uri.fsPath), { network: true, refresh, signal: controller.signal });
          done++;
          for (const f of state?.report.findings ?? []) {
            findings++;
            byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
          }
        }
        const summary = Object.entries(byRule).sort(([a], [b]) => a.localeCompare(b)).map(([rule, n]) => `${rule} ${n}`).join(', ');
        const message = `Dependency Risk: ${findings} finding${findings === 1 ? '' : 's'} in ${done} project${done === 1 ? '' : 's'}${summary ? ` (${summary})` : ''}.`;
        deps.log.info(message);
        void vscode.window.showInformationMessage(message, ...(findings > 0 ? ['Show Problems'] : [])).then((choice) => {
          if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
        });
        return { projects: done, findings, byRule };
      } finally {
        cancel.dispose();
      }
    },
  );
}

async function auditCurrentFile(deps: CommandDeps): Promise<number | undefined> {
  const uri = vscode.window.activeTextEditor?.document.uri;
  if (!uri || !isProjectFile(uri)) {
    void vscode.window.showWarningMessage('Dependency Risk: open a package.json or npm lockfile to audit it.');
    return undefined;
  }
  const state = await deps.projects.run(dirname(uri.fsPath), { network: true });
  return state?.report.findings.length;
}

/** Adds an entry to `dependencyRisk.ignore` for the folder, where the user can review and remove it. */
async function ignoreFinding(uri: unknown, entry: unknown): Promise<void> {
  if (!(uri instanceof vscode.Uri) || typeof entry !== 'string') return;
  const config = vscode.workspace.getConfiguration(SECTION, uri);
  const current = config.get<string[]>('ignore') ?? [];
  if (current.includes(entry)) return;
  const target = vscode.workspace.getWorkspaceFolder(uri) ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global;
  await config.update('ignore', [...current, entry], target);
}
