/** The workspace-wide status-bar item: progress while audits run, then the count of findings; a click runs the workspace audit. */

import * as vscode from 'vscode';
import type { Projects } from './projects';

export const AUDIT_WORKSPACE_COMMAND = 'dependencyRisk.auditWorkspace';

export function registerStatus(projects: Projects): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('dependencyRisk.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Dependency Risk';
  item.command = AUDIT_WORKSPACE_COMMAND;
  const render = () => {
    let errors = 0;
    let warnings = 0;
    let packages = 0;
    for (const state of projects.all().values()) {
      packages += state.report.packages.length;
      for (const f of state.report.findings) {
        if (f.severity === 'error') errors++;
        else if (f.severity === 'warning') warnings++;
      }
    }
    if (projects.busy > 0) {
      item.text = '$(sync~spin) Dependency Risk';
      item.tooltip = 'Checking dependencies…';
    } else {
      item.text = errors + warnings === 0 ? '$(shield) 0' : `$(shield) ${errors + warnings}`;
      item.tooltip = `Dependency Risk: ${errors} errors, ${warnings} warnings in ${packages} packages checked. Click to audit the workspace.`;
    }
    if (projects.all().size > 0 || projects.busy > 0) item.show();
  };
  render();
  return vscode.Disposable.from(item, projects.onDidUpdate(render), projects.onDidChangeBusy(render));
}
