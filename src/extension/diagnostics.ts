/** Turns an AuditReport into VS Code diagnostics on package.json and the lockfile, and remembers which finding each one shows. */

import * as vscode from 'vscode';
import { join } from 'node:path';
import { ruleDocsUrl } from '../core/docs';
import { neutralise } from '../core/neutralise';
import type { AuditError, AuditReport, Finding, FixPlan, Location, Manifest, Severity } from '../core/types';

export const SOURCE = 'Dependency Risk';

/** A diagnostic with the finding (and fix) it shows, so code actions can act on it. */
export interface ShownFinding {
  readonly diagnostic: vscode.Diagnostic;
  readonly finding?: Finding;
  readonly fix?: FixPlan;
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The range of a Location: our spans never cross a line (they are JSON strings and keys). */
export function rangeOf(location: Location): vscode.Range {
  const start = new vscode.Position(location.line - 1, location.column - 1);
  return new vscode.Range(start, start.translate(0, location.length));
}

function fileUri(dir: string, location: Location): vscode.Uri {
  return vscode.Uri.file(join(dir, location.file));
}

/**
 * Diagnostics per file URI for one project's report. Direct findings sit on the version string in
 * package.json; a transitive finding sits on the direct dependency that brings the package in, and
 * on the package's own lockfile entry (published only while the lockfile is open, see `includeLockfile`).
 */
export function diagnosticsOf(
  dir: string,
  report: AuditReport,
  manifest: Manifest,
  includeLockfile: (uri: vscode.Uri) => boolean,
): Map<string, ShownFinding[]> {
  const byUri = new Map<string, ShownFinding[]>();
  const add = (uri: vscode.Uri, shown: ShownFinding) => {
    const list = byUri.get(uri.toString()) ?? [];
    list.push(shown);
    byUri.set(uri.toString(), list);
  };
  const manifestUri = vscode.Uri.file(join(dir, manifest.file));
  byUri.set(manifestUri.toString(), []);
  const declaredSpan = directSpans(manifest);
  for (const finding of report.findings) {
    const fix = report.fixes.find((f) => f.package === finding.package && f.from === finding.version && f.addresses.includes(finding.rule));
    const transitive = finding.via !== undefined && finding.via.length > 1;
    const location = transitive ? declaredSpan.get(finding.via![0]) : finding.location;
    if (location) {
      const message = transitive ? `brings in ${finding.package} ${finding.version} (via ${finding.via!.join(' > ')}): ${finding.message}` : finding.message;
      const diagnostic = makeDiagnostic(location, message, finding.severity, finding.rule);
      if (finding.lockfileLocation) {
        diagnostic.relatedInformation = [
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(fileUri(dir, finding.lockfileLocation), rangeOf(finding.lockfileLocation)),
            `${finding.package}@${finding.version} in ${finding.lockfileLocation.file}`,
          ),
        ];
      }
      add(fileUri(dir, location), { diagnostic, finding, fix });
    }
    if (finding.lockfileLocation) {
      const lockUri = fileUri(dir, finding.lockfileLocation);
      if (includeLockfile(lockUri)) add(lockUri, { diagnostic: makeDiagnostic(finding.lockfileLocation, finding.message, finding.severity, finding.rule), finding, fix });
    }
  }
  for (const error of report.errors) {
    const shown = errorDiagnostic(error);
    if (!shown) continue;
    const uri = fileUri(dir, shown.location);
    if (uri.toString() !== manifestUri.toString() && !includeLockfile(uri)) continue;
    add(uri, { diagnostic: shown.diagnostic });
  }
  return byUri;
}

function makeDiagnostic(location: Location, message: string, severity: Severity, rule: string): vscode.Diagnostic {
  // Messages quote registry text and names from project files: control and bidi characters are shown, not obeyed.
  const diagnostic = new vscode.Diagnostic(rangeOf(location), neutralise(message), SEVERITY[severity]);
  diagnostic.source = SOURCE;
  diagnostic.code = { value: rule, target: vscode.Uri.parse(ruleDocsUrl(rule)) };
  return diagnostic;
}

/** Spans of direct dependencies' version strings in package.json, by key and by registry name (first section wins). */
function directSpans(manifest: Manifest): Map<string, Location> {
  const spans = new Map<string, Location>();
  for (const d of manifest.dependencies) {
    if (d.kind === 'override') continue;
    if (!spans.has(d.name)) spans.set(d.name, d.specLocation);
    if (!spans.has(d.registryName)) spans.set(d.registryName, d.specLocation);
  }
  return spans;
}

/**
 * Lookup failures show on the dependency (a 404 as a warning: a typo-squat or a removed package);
 * lockfile parse errors show on the lockfile. package.json syntax errors are left to VS Code's JSON
 * support, which already marks them. Offline misses are not shown: they only mean "not cached yet".
 */
function errorDiagnostic(error: AuditError): { location: Location; diagnostic: vscode.Diagnostic } | undefined {
  if (!error.location || error.kind === 'offline') return undefined;
  if (error.kind === 'parse' && error.location.file === 'package.json') return undefined;
  const severity = error.kind === 'not-found' || error.kind === 'unauthorized' || error.kind === 'parse' ? 'warning' : 'info';
  const diagnostic = new vscode.Diagnostic(rangeOf(error.location), neutralise(error.message), SEVERITY[severity]);
  diagnostic.source = SOURCE;
  return { location: error.location, diagnostic };
}
