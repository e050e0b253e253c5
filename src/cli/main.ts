/** The CLI's entry point as a function: `run(argv, io)` parses, dispatches and returns the exit code. */

import { version } from '../../package.json';
import { parseCommandLine } from './args';
import { runAudit, type AuditCommandDeps } from './audit';
import { runDiff, type DiffCommandDeps } from './diff';
import { HELP_TEXT } from './help';
import { runInspect, type InspectCommandDeps } from './inspect';
import { toWrite, type CliIo } from './io';
import { neutralise } from './terminal';

export type { CliIo, Writer } from './io';
export type { AuditCommandDeps } from './audit';
export type { InspectCommandDeps } from './inspect';
export type { DiffCommandDeps } from './diff';

/** Exit codes, as documented in `--help`. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;
export const EXIT_INTERRUPTED = 130;

/**
 * Runs `dependency-risk` with `argv` (arguments only, no node or script path). Writes the report to
 * io.stdout and everything else to io.stderr. Never throws: a usage error returns 2 with a message,
 * an unexpected exception returns 2 with its stack on stderr, an interruption (io.signal) 130.
 */
export async function run(argv: readonly string[], io: CliIo, deps: AuditCommandDeps & InspectCommandDeps & DiffCommandDeps = {}): Promise<number> {
  const stdout = toWrite(io.stdout);
  const stderr = toWrite(io.stderr);
  try {
    const parsed = parseCommandLine(argv);
    if (!parsed.ok) {
      stderr(`dependency-risk: ${neutralise(parsed.message)}\nRun 'dependency-risk --help' for usage.\n`);
      return EXIT_ERROR;
    }
    switch (parsed.command.kind) {
      case 'help':
        stdout(HELP_TEXT);
        return EXIT_OK;
      case 'version':
        stdout(`${version}\n`);
        return EXIT_OK;
      case 'audit':
        return await runAudit(parsed.command.args, io, deps, version);
      case 'inspect':
        return await runInspect(parsed.command.args, io, deps);
      case 'diff':
        return await runDiff(parsed.command.args, io, deps, version);
    }
  } catch (error) {
    if (io.signal?.aborted === true) {
      stderr('dependency-risk: interrupted.\n');
      return EXIT_INTERRUPTED;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    stderr(`dependency-risk: internal error; please report it with the output below.\n${neutralise(detail)}\n`);
    return EXIT_ERROR;
  }
}
