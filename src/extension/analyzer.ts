/** Runs the core audit for one project folder from the editor: open documents first, cached facts first, one client per registry setting. */

import * as vscode from 'vscode';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { auditProject, type ResolvedRegistry } from '../core/audit';
import type { Inspector } from '../core/contents/inspect';
import type { RegistryClient } from '../core/registry/client';
import type { AuditReport, PackageHistory } from '../core/types';
import type { Log } from './log';
import { loadEditorFetch } from './registry-fetch';
import type { Settings } from './settings';

export interface AnalyzeOptions {
  /** False: answer from the cache only (what the editor shows at once). */
  readonly network: boolean;
  /** Ask the registry even when cached facts are recent. */
  readonly refresh?: boolean;
  readonly signal?: AbortSignal;
}

/** Owns the registry clients (and so the in-memory caches) the editor uses; one instance per activation. */
export class Analyzer implements vscode.Disposable {
  private readonly clients = new Map<string, Promise<RegistryClient>>();
  /** The registry settings each project resolved to in its last audit (hovers ask the same registry). */
  private readonly registries = new Map<string, ResolvedRegistry>();
  /** One content inspector per registry setting (its packument and summary memory lives as long as the activation). */
  private readonly inspectors = new Map<string, Promise<Inspector>>();

  constructor(
    private readonly log: Log,
    private readonly cacheDir: string,
    /** Told which project configuration files an untrusted workspace kept out of an audit. */
    private readonly onUntrustedConfig: (skipped: readonly string[]) => void = () => undefined,
  ) {}

  /** Audits the project in `dir` with the settings of its package.json. Never rejects except on abort. */
  async analyze(dir: string, settings: Settings, options: AnalyzeOptions): Promise<AuditReport> {
    const started = Date.now();
    const report = await auditProject(
      {
        dir,
        now: new Date(),
        minAgeDays: settings.minimumReleaseAgeDays,
        include: settings.include,
        registry: settings.registry,
        fix: true,
        trustProject: settings.trusted,
        env: process.env,
        signal: options.signal,
        severities: settings.severity,
        ignore: settings.ignore,
        followProjectPolicy: settings.followProjectPolicy,
        network: settings.network,
      },
      {
        readFile: readOpenDocumentOrFile,
        onRegistryConfig: (config) => {
          if (config.skipped.length > 0) this.onUntrustedConfig(config.skipped);
        },
        createSource: (registry) => {
          this.registries.set(dir, registry);
          return this.client(registry, options.network && !settings.offline, options.refresh === true);
        },
      },
    );
    const registry = this.registries.get(dir);
    if (registry && options.network && !settings.offline) {
      // The cache-only client keeps what it once read from disk: facts older than those just
      // fetched, or another registry's entry for the same name (the disk holds one per name), which
      // it then never reads again. Either way the next keystroke's cache-only pass would publish
      // fewer findings than the audit that just finished, and the squiggles would blink until the
      // registry pass came back. It starts afresh from disk, where this audit wrote its facts.
      this.clients.delete(clientKey(registry, false, false));
    }
    this.log.info(
      `${options.network ? 'audit' : 'cached audit'} of ${dir}: ${report.findings.length} findings, ${report.packages.length} packages, ${report.errors.length} errors in ${Date.now() - started} ms`,
    );
    return report;
  }

  /**
   * One package's history for a project that was audited before: from the cache, or from the
   * registry when `network` is true. Undefined when unknown.
   */
  async history(dir: string, name: string, settings: Settings, network: boolean, signal?: AbortSignal): Promise<PackageHistory | undefined> {
    const registry = this.registries.get(dir);
    if (!registry) return undefined;
    const client = await this.client(registry, network && !settings.offline, false);
    const result = (await client.getHistories([name], { signal })).get(name);
    return result?.status === 'ok' ? result.history : undefined;
  }

  /**
   * The report with content findings added for the versions it flags (error or warning): their
   * tarballs are fetched from the project's registry, verified and read in memory, never extracted
   * or run. Summaries are cached by integrity, so a version is analysed once. Rejects only on abort.
   */
  async inspectContents(dir: string, report: AuditReport, settings: Settings, signal?: AbortSignal): Promise<AuditReport> {
    const inspector = settings.offline ? undefined : this.inspectorFor(dir);
    if (!inspector) return report;
    const { inspectAuditReport } = await import('../core/contents/audit-contents');
    const started = Date.now();
    const extra = await inspectAuditReport(report, 'flagged', await inspector, { signal });
    this.log.info(`contents of ${dir}: ${extra.findings.length} findings, ${extra.errors.length} not inspected in ${Date.now() - started} ms`);
    const policyFindings = extra.findings
      .filter((f) => !settings.ignore.some((entry) => entry === `${f.rule}:${f.package}@${f.version}` || entry === `${f.rule}:${f.package}` || entry === `${f.package}@${f.version}` || entry === f.package))
      .flatMap((f) => {
        const level = settings.severity[f.rule];
        return level === 'off' ? [] : [level === undefined ? f : { ...f, severity: level }];
      });
    return { ...report, findings: [...report.findings, ...policyFindings], errors: [...report.errors, ...extra.errors] };
  }

  /** The content inspector for the registry the project in `dir` resolved to in its last audit; undefined before one. */
  inspectorFor(dir: string): Promise<Inspector> | undefined {
    const registry = this.registries.get(dir);
    if (!registry) return undefined;
    const key = JSON.stringify(registry);
    let inspector = this.inspectors.get(key);
    if (!inspector) {
      inspector = import('../core/contents/inspect').then(({ createInspector }) =>
        createInspector({ ...registry, cacheDir: this.cacheDir }, { loadFetch: loadEditorFetch, log: (message) => this.log.trace(message) }),
      );
      this.inspectors.set(key, inspector);
    }
    return inspector;
  }

  /** Forgets every cached history, on disk and in memory. */
  async clearCache(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    const { createRegistryClient } = await import('../core/registry/client');
    await createRegistryClient({ registry: 'https://registry.npmjs.org/', cacheDir: this.cacheDir }).clearCache();
    await Promise.all(clients.map(async (c) => (await c).clearCache()));
  }

  dispose(): void {
    this.clients.clear();
    this.inspectors.clear();
  }

  private client(registry: ResolvedRegistry, network: boolean, refresh: boolean): Promise<RegistryClient> {
    const key = clientKey(registry, network, refresh);
    let client = this.clients.get(key);
    if (!client) {
      client = import('../core/registry/client').then(({ createRegistryClient }) =>
        createRegistryClient(
          { ...registry, cacheDir: this.cacheDir, offline: !network, refresh },
          { log: (message) => this.log.trace(message), loadFetch: loadEditorFetch },
        ),
      );
      // A refresh client is used once: later audits go back to the cache.
      if (!refresh) this.clients.set(key, client);
    }
    return client;
  }
}

function clientKey(registry: ResolvedRegistry, network: boolean, refresh: boolean): string {
  return JSON.stringify([registry, network, refresh]);
}

/** Reads a project file from its open document when there is one (unsaved edits count), else from disk. */
export async function readOpenDocumentOrFile(path: string): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
  if (open) return open.getText();
  try {
    return await readFile(path, 'utf8');
  } catch {
    // Missing files are normal here (most projects have one lockfile of several kinds); the audit reports what it needs.
    return undefined;
  }
}

export function projectDirOf(uri: vscode.Uri): string {
  return join(uri.fsPath, '..');
}
