/** Re-audits a project when its package.json or lockfile is opened, edited, saved or changed on disk, and when settings change. */

import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import type { Log } from './log';
import { isProjectFile, MANIFEST, PROJECT_FILES_GLOB, type Projects } from './projects';
import { SECTION } from './settings';

const EXCLUDE = '**/node_modules/**';

export function registerWatchers(projects: Projects, log: Log): vscode.Disposable {
  const dirOf = (uri: vscode.Uri) => dirname(uri.fsPath);
  const watcher = vscode.workspace.createFileSystemWatcher(PROJECT_FILES_GLOB);
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
      if (!e.affectsConfiguration(SECTION)) return;
      const affects = (dir: string) => e.affectsConfiguration(SECTION, vscode.Uri.file(`${dir}/${MANIFEST}`));
      // A project turned off was forgotten: the open project files and, when `enable` changed,
      // the workspace's manifests say which projects to check again.
      const dirs = new Set(projects.all().keys());
      for (const d of vscode.workspace.textDocuments) if (isProjectFile(d.uri)) dirs.add(dirOf(d.uri));
      for (const dir of dirs) if (affects(dir)) projects.schedule(dir, { immediate: true });
      if (!e.affectsConfiguration(`${SECTION}.enable`)) return;
      void findManifests().then((uris) => {
        for (const dir of uris.map(dirOf)) if (!dirs.has(dir) && !projects.all().has(dir) && affects(dir)) projects.schedule(dir);
      }, (error: unknown) => log.warn(`workspace scan failed: ${String(error)}`));
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
