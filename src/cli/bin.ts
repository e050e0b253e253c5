/** The `dependency-risk` executable: the only CLI code that touches `process`; it sets `process.exitCode`, never exits. */

import { setMaxListeners } from 'node:events';
import { run } from './main';

const controller = new AbortController();
// One signal is shared by every concurrent registry request, each adding an abort listener; Node's
// default limit of 10 would print a spurious leak warning on stderr during every large audit.
setMaxListeners(0, controller.signal);
// The first Ctrl-C asks the audit to stop and erase its progress line; `once` leaves a second Ctrl-C to Node's default, which kills.
process.once('SIGINT', () => controller.abort());

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // `dependency-risk audit | head` closes the pipe early; the reader has what it wanted.
  if (error.code === 'EPIPE') return;
  throw error;
});

void run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  stderrColumns: process.stderr.columns,
  platform: process.platform,
  signal: controller.signal,
}).then((code) => {
  process.exitCode = code;
});
