/** Quick fixes on our diagnostics: pin a safe version, add an override, approve or deny an install script, ignore a finding. */

import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pinEdit } from '../core/fix';
import { formatAge } from '../core/format';
import { parseManifest } from '../core/manifest';
import { scriptDecisions } from '../core/script-approval';
import type { Finding, FixPlan, LockfileFormat, TextEdit } from '../core/types';
import { COMPARE_CONTENTS_COMMAND, type CompareTarget } from './compare-contents';
import { SOURCE } from './diagnostics';
import { reportUnexpected, type Log } from './log';
import { MANIFEST, PROJECT_FILES_GLOB, type Projects, type ProjectState } from './projects';

export const IGNORE_COMMAND = 'dependencyRisk.ignoreFinding';
const SCRIPT_RULES = new Set(['install-script-added', 'install-script-changed']);

export function registerCodeActions(deps: { projects: Projects; log: Log }): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    [{ scheme: 'file', pattern: PROJECT_FILES_GLOB }],
    {
      provideCodeActions: (document, _range, context) => {
        try {
          return actionsFor(document, context, deps.projects);
        } catch (error) {
          reportUnexpected(deps.log, 'Quick fixes', error);
          return [];
        }
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
}

function actionsFor(document: vscode.TextDocument, context: vscode.CodeActionContext, projects: Projects): vscode.CodeAction[] {
  const ours = context.diagnostics.filter((d) => d.source === SOURCE);
  if (ours.length === 0) return [];
  const shown = projects.shownIn(document.uri);
  const manifestUri = basename(document.uri.fsPath) === MANIFEST ? document.uri : vscode.Uri.joinPath(document.uri, '..', MANIFEST);
  const manifest = vscode.workspace.textDocuments.find((d) => d.uri.toString() === manifestUri.toString());
  const state = projects.all().get(dirname(manifestUri.fsPath));
  const actions: vscode.CodeAction[] = [];
  const seenFixes = new Set<FixPlan>();
  let preferredGiven = false;
  for (const diagnostic of ours) {
    const match = shown.find((s) => s.diagnostic.range.isEqual(diagnostic.range) && s.diagnostic.message === diagnostic.message);
    const finding = match?.finding;
    if (!finding) continue;
    const fix = match.fix;
    // A fix may edit another package.json (overrides live in the workspace root's): offer it where it applies.
    const edits = fix && manifest && state && fix.file === state.manifest.file ? currentEdits(fix, manifest, state) : undefined;
    if (fix && manifest && edits && !seenFixes.has(fix)) {
      seenFixes.add(fix);
      const action = fixAction(fix, edits, manifest, [diagnostic]);
      if (!preferredGiven) {
        action.isPreferred = true;
        preferredGiven = true;
      }
      actions.push(action);
    }
    if (SCRIPT_RULES.has(finding.rule) && manifest && state) actions.push(...scriptActions(finding, manifest, state, diagnostic));
    if (/^(?:contents|install-script)-/.test(finding.rule)) actions.push(compareAction(finding, dirname(manifestUri.fsPath), diagnostic));
    const ignore = new vscode.CodeAction(`Ignore ${finding.rule} for ${finding.package}@${finding.version}`, vscode.CodeActionKind.QuickFix);
    ignore.diagnostics = [diagnostic];
    ignore.command = { command: IGNORE_COMMAND, title: ignore.title, arguments: [manifestUri, `${finding.rule}:${finding.package}@${finding.version}`] };
    actions.push(ignore);
  }
  return actions;
}

/** Opens the diff editor on the files that changed between the flagged version and the one it is compared with. */
function compareAction(finding: Finding, dir: string, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const previous = finding.evidence['previousVersion'];
  const target: CompareTarget = { package: finding.package, version: finding.version, dir, ...(typeof previous === 'string' && previous !== '' ? { against: previous } : {}) };
  const action = new vscode.CodeAction(`Compare package contents of ${finding.package}@${finding.version}`, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.command = { command: COMPARE_CONTENTS_COMMAND, title: action.title, arguments: [target] };
  return action;
}

/**
 * A fix's edits for the document as it is now. They were planned on package.json's text at audit
 * time; when the text has moved on since (an edit whose re-check has not landed), a pin is planned
 * again on the dependency where it now stands, and other fixes wait for the re-check.
 */
function currentEdits(fix: FixPlan, document: vscode.TextDocument, state: ProjectState): readonly TextEdit[] | undefined {
  const text = document.getText();
  if (text === state.manifestText) return fix.edits;
  if (fix.kind !== 'pin') return undefined;
  const dependency = parseManifest(state.manifest.file, text).dependencies.find(
    (d) => d.kind !== 'override' && d.source === 'registry' && d.registryName === fix.package,
  );
  return dependency ? [pinEdit(dependency, fix.to)] : undefined;
}

function fixAction(fix: FixPlan, edits: readonly TextEdit[], manifest: vscode.TextDocument, diagnostics: vscode.Diagnostic[]): vscode.CodeAction {
  const published = fix.toPublishedAt ? ` (published ${formatAge(Date.now() - Date.parse(fix.toPublishedAt))})` : '';
  const title = fix.kind === 'pin' ? `Pin ${fix.package} to ${fix.to}${published}` : `Add override pinning ${fix.package} to ${fix.to}${published}`;
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.diagnostics = diagnostics;
  action.edit = editOf(manifest, edits);
  return action;
}

/**
 * Approve or deny a package's install scripts in the setting its package manager reads (npm
 * `allowScripts`, Yarn `dependenciesMeta`, Bun `trustedDependencies`, pnpm's package.json fields).
 * Offered on the project root's package.json, where those settings live.
 */
function scriptActions(finding: Finding, manifest: vscode.TextDocument, state: ProjectState, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
  if (state.manifest.file !== MANIFEST) return [];
  const format = state.report.lockfile?.format as LockfileFormat | undefined;
  const hasPnpmWorkspace = existsSync(join(state.report.root, 'pnpm-workspace.yaml'));
  return scriptDecisions(format, manifest.getText(), finding.package, finding.version, { hasPnpmWorkspace }).map((decision) => {
    const action = new vscode.CodeAction(decision.title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.edit = editOf(manifest, decision.edits);
    return action;
  });
}

function editOf(document: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.text);
  return edit;
}
