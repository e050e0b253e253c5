/** Helpers for registry-client tests: fixture packuments, their expected histories, temp cache folders and a client wired to a fixture registry. */

import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHistory } from '../../src/core/history';
import { createRegistryClient, type RegistryClient, type RegistryClientDeps } from '../../src/core/registry/client';
import type { RegistryOptions } from '../../src/core/registry/types';
import type { PackageHistory } from '../../src/core/types';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'registry-client');

/** A packument from test/fixtures/registry-client, parsed. */
export function readPackument(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, `${name.replace('/', '__')}.json`), 'utf8')) as Record<string, unknown>;
}

/** What buildHistory makes of `doc`: the history a client must return for it. */
export function historyOf(name: string, doc: unknown): PackageHistory {
  const built = buildHistory(name, doc);
  if (!built.ok) throw new Error(`fixture ${name} is not a packument: ${built.message}`);
  return built.history;
}

/** A fresh folder under the OS temp dir, and a function that removes it. */
export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dependency-risk-registry-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The waits a client asked for, in order (the test sleep returns at once). */
export interface SleepLog {
  readonly delays: number[];
}

/** A client for `registry` whose retries wait no real time (delays are recorded) and whose jitter is zero. */
export function testClient(options: Partial<RegistryOptions> & { registry: string }, deps: RegistryClientDeps = {}): { client: RegistryClient; sleeps: SleepLog } {
  const sleeps: SleepLog = { delays: [] };
  const client = createRegistryClient(options, {
    sleep: async (ms) => {
      sleeps.delays.push(ms);
    },
    random: () => 0,
    ...deps,
  });
  return { client, sleeps };
}

export const T0 = new Date('2025-11-01T12:00:00.000Z');

/** `T0` plus `minutes`. */
export function at(minutes: number): Date {
  return new Date(T0.getTime() + minutes * 60_000);
}
