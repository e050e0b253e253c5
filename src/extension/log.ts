/** The extension's one log: a LogOutputChannel named "Dependency Risk", never shown unless the user asks. */

import * as vscode from 'vscode';

export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel('Dependency Risk', { log: true });
}

/** Logs an unexpected error with its stack, and tells the user once, with a "Show Log" button. */
export function reportUnexpected(log: Log, what: string, error: unknown): void {
  log.error(`${what}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  if (shown) return;
  shown = true;
  void vscode.window.showErrorMessage(`Dependency Risk: ${what} failed unexpectedly.`, 'Show Log').then((choice) => {
    if (choice === 'Show Log') log.show();
  });
}

let shown = false;
