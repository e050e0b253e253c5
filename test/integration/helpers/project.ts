/** Puts a fixture project into the workspace copy, pointed at a fixture registry, and takes it out again with everything opened from it. */

import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { nextDiagnosticsChange } from './diagnostics';
import { fixturesDir } from './registry';

export interface WorkspaceProject {
  /** The project folder inside the workspace copy. */
  readonly dir: string;
  uri(file: string): vscode.Uri;
  /** The fixture's own text of a file (what the copy started as). */
  fixtureText(file: string): Promise<string>;
  /** Writes a file on disk, as a package manager would. */
  write(file: string, text: string): Promise<void>;
  /** Opens a file in an editor. */
  open(file: string): Promise<vscode.TextEditor>;
  /** Reverts and closes its editors, then deletes the folder. */
  remove(): Promise<void>;
}

/**
 * Copies test/fixtures/projects/<fixture> to `<workspace>/<as>` with a `.npmrc` naming `registry`
 * (the way a user points npm at a private registry; the extension reads it because the workspace
 * is trusted). `omit` leaves files out of the copy.
 */
export async function addProject(fixture: string, options: { as: string; registry: string; omit?: readonly string[] }): Promise<WorkspaceProject> {
  const workspace = process.env.DR_WORKSPACE;
  if (!workspace) throw new Error('DR_WORKSPACE is not set: run the suites with test/integration/run.mjs');
  const source = join(fixturesDir(), 'projects', fixture);
  const dir = join(workspace, options.as);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '.npmrc'), `registry=${options.registry}\n`);
  const omit = new Set((options.omit ?? []).map((file) => join(source, file)));
  await cp(source, dir, { recursive: true, filter: (file) => !omit.has(file) });
  const uri = (file: string) => vscode.Uri.file(join(dir, file));
  return {
    dir,
    uri,
    fixtureText: (file) => readFile(join(source, file), 'utf8'),
    write: (file, text) => writeFile(join(dir, file), text),
    open: async (file) => vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri(file))),
    remove: async () => {
      await closeEditorsUnder(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Reverts every dirty document under `dir` (no save prompt can block the suite) and closes its tabs; `only` narrows the files. */
export async function closeEditorsUnder(dir: string, only: (uri: vscode.Uri) => boolean = () => true): Promise<void> {
  const inside = (uri: vscode.Uri | undefined) => uri?.scheme === 'file' && uri.fsPath.startsWith(`${dir}/`) && only(uri);
  for (const document of vscode.workspace.textDocuments) {
    if (!inside(document.uri) || !document.isDirty) continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputText && inside(tab.input.uri));
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

/**
 * Reverts a project file's unsaved edits, leaving it open, and waits until the extension has
 * re-checked the reverted text (its quick fixes refer to the text of the last check).
 */
export async function revert(document: vscode.TextDocument): Promise<void> {
  if (!document.isDirty) return;
  await changeAndRecheck(document.uri, async () => {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
}

/**
 * Runs `change` (which must change the document at `uri`) and waits until the extension has
 * published diagnostics from a check of the changed text. The wait for diagnostics starts in our
 * own listener for the change: the extension's listener, registered before ours, has already
 * cancelled every check of the old text by then, and a cancelled check publishes nothing.
 */
export async function changeAndRecheck(uri: vscode.Uri, change: () => Promise<unknown>): Promise<void> {
  let subscription: vscode.Disposable | undefined;
  const rechecked = new Promise<void>((resolve, reject) => {
    subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.toString() !== uri.toString() || e.contentChanges.length === 0) return;
      subscription?.dispose();
      nextDiagnosticsChange(uri, 'the re-check of the changed text').then(resolve, reject);
    });
  });
  try {
    await change();
    await withDeadline(rechecked, 15_000, `no change of ${vscode.workspace.asRelativePath(uri)} and re-check within 15 s`);
  } finally {
    subscription?.dispose();
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() => clearTimeout(timer));
}
