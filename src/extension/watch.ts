/** Re-audits a project when its package.json or lockfile is opened, edited, saved or changed on disk, and when settings change. */

import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import { isProjectFile, MANIFEST, type Projects } from './projects';
import { SECTION } from './settings';

const EXCLUDE = '**/node_modules/**';

export function registerWatchers(projects: Projects): vscode.Disposable {
  const dirOf = (uri: vscode.Uri) => dirname(uri.fsPath);
  const watcher = vscode.workspace.createFileSystemWatcher('**/{package.json,package-lock.json,npm-shrinkwrap.json}');
  const onDisk = (uri: vscode.Uri) => {
    if (!isProjectFile(uri)) return;
    // An open document is followed through its edits; the disk copy matters only when it is closed.
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && d.isDirty)) return;
    projects.schedule(dirOf(uri));
  };
  return vscode.Disposable.from(
    watcher,
    watcher.onDidChange(onDisk),
    watcher.onDidCreate(onDisk),
    watcher.onDidDelete((uri) => (basename(uri.fsPath) === MANIFEST ? projects.forget(dirOf(uri)) : onDisk(uri))),
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (!isProjectFile(d.uri)) return;
      if (projects.all().has(dirOf(d.uri))) projects.republish(dirOf(d.uri));
      else projects.schedule(dirOf(d.uri), { immediate: true });
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (isProjectFile(d.uri)) projects.republish(dirOf(d.uri));
    }),
    // Typing re-evaluates cached facts quickly; the registry is asked only once edits have settled.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (isProjectFile(e.document.uri) && e.contentChanges.length > 0) projects.schedule(dirOf(e.document.uri));
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      for (const dir of projects.all().keys()) {
        if (e.affectsConfiguration(SECTION, vscode.Uri.file(`${dir}/${MANIFEST}`))) projects.schedule(dir, { immediate: true });
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      for (const dir of projects.all().keys()) projects.schedule(dir, { immediate: true });
    }),
  );
}

/** Every package.json in the workspace, outside node_modules. */
export async function findManifests(token?: vscode.CancellationToken): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(`**/${MANIFEST}`, EXCLUDE, 500, token);
  return found.filter(isProjectFile).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}
