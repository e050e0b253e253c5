/**
 * Times what the editor runs when a package.json is opened on a warm cache: the Analyzer's
 * cache-only audit (`auditProject` with an offline registry client on the disk cache, fixes planned),
 * first with a new client (facts read from disk), then again on the same client (facts in memory, as
 * after an edit). Run with tsx: node --import tsx editor-path.ts <project> <cacheDir> <now> <registry> [repeats]
 * Prints JSON: { firstMs, repeatMs[], packages, findings, errors }.
 */

import { performance } from 'node:perf_hooks';
import { auditProject, type ResolvedRegistry } from '../../src/core/audit';
import { createRegistryClient, type RegistryClient } from '../../src/core/registry/client';

async function main(): Promise<void> {
  const [dir, cacheDir, nowText, registry, repeatsText] = process.argv.slice(2);
  if (dir === undefined || cacheDir === undefined || nowText === undefined || registry === undefined) {
    throw new Error('usage: editor-path.ts <project> <cacheDir> <now> <registry> [repeats]');
  }
  const now = new Date(nowText);
  let client: RegistryClient | undefined;
  // As Analyzer.client: one client per registry setting, offline for the at-once (cache-only) audit.
  const createSource = (resolved: ResolvedRegistry) => (client ??= createRegistryClient({ ...resolved, cacheDir, offline: true }));
  const audit = () =>
    auditProject({ dir, now, registry, fix: true, trustProject: true, env: {}, followProjectPolicy: true }, { createSource });

  let started = performance.now();
  const first = await audit();
  const firstMs = performance.now() - started;
  const repeatMs: number[] = [];
  for (let i = 0; i < Number(repeatsText ?? 5); i++) {
    started = performance.now();
    await audit();
    repeatMs.push(performance.now() - started);
  }
  const unchecked = first.packages.filter((p) => !p.checked).length;
  process.stdout.write(`${JSON.stringify({ firstMs, repeatMs, packages: first.packages.length, unchecked, findings: first.findings.length, errors: first.errors.length })}\n`);
}

void main();
