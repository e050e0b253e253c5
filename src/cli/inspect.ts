/** The `inspect` command: compares a published version's tarball with an earlier one and prints what changed and the content findings. */

import * as os from 'node:os';
import type { InspectDeps, Inspector, InspectOptions, PackageInspection } from '../core/contents/inspect';
import type { InspectArgs } from './args';
import { exitCodeFor } from './audit';
import { resolveCacheDir } from './cache-dir';
import { formatInspectJson, formatInspectText } from './formatters/inspect';
import { toWrite, type CliIo } from './io';
import { neutralise, shouldUseColor } from './terminal';

/** What tests can hand in: the engine's loaders, or a whole inspector. */
export interface InspectCommandDeps {
  readonly createInspector?: (options: InspectOptions, deps?: InspectDeps) => Inspector;
  readonly inspectDeps?: InspectDeps;
}

/** Error kinds after which nothing about the requested version is known: exit 2, as a fatal audit error. */
const FATAL_KINDS = new Set(['usage', 'not-found', 'registry']);

/**
 * Inspects `args.name@args.version` against `args.against` (default: the release it followed), using
 * the registry and credentials of npm's configuration for the current folder (`--registry` wins).
 * Returns 2 when the version could not be inspected at all, else 1 when a finding reaches `--fail-on`, else 0.
 */
export async function runInspect(args: InspectArgs, io: CliIo, deps: InspectCommandDeps = {}): Promise<number> {
  const stdout = toWrite(io.stdout);
  const stderr = toWrite(io.stderr);
  const { resolveRegistryConfig } = await import('../core/registry/registry-config');
  const config = await resolveRegistryConfig({ dir: io.cwd, env: io.env, trustProject: true, manager: 'npm' });
  for (const error of config.errors) stderr(`dependency-risk: warning: ${neutralise(error.message)}\n`);
  const create = deps.createInspector ?? (await import('../core/contents/inspect')).createInspector;
  const inspector = create(
    {
      registry: args.registry ?? config.registry,
      scopes: config.scopes,
      npmOptions: config.npmOptions,
      cacheDir: resolveCacheDir(io.env, io.platform ?? os.platform(), io.homedir ?? os.homedir(), io.cwd),
    },
    deps.inspectDeps,
  );
  const result: PackageInspection = await inspector.inspect(args.name, args.version, args.against, io.signal);
  io.signal?.throwIfAborted();
  const fatal = result.diff === undefined && result.errors.some((error) => FATAL_KINDS.has(error.kind) || error.package === `${args.name}@${args.version}`);
  if (fatal && args.format === 'text') {
    for (const error of result.errors) stderr(`dependency-risk: error: ${neutralise(error.message)}\n`);
    return 2;
  }
  stdout(args.format === 'json' ? formatInspectJson(result) : formatInspectText(result, { color: shouldUseColor(args.color, io.env, io.stdoutIsTTY === true) }));
  if (fatal) {
    for (const error of result.errors) stderr(`dependency-risk: error: ${neutralise(error.message)}\n`);
    return 2;
  }
  for (const error of result.errors) if (args.format === 'json') stderr(`dependency-risk: warning: ${neutralise(error.message)}\n`);
  return exitCodeFor(result.findings, args.failOn);
}
