/** Follows the test host's event file (see host/extension.js for the protocol) and prints each result with a Report as it lands. */
import fs from 'node:fs';
import { mapStackToSources } from './suites.mjs';
import { HarnessError } from './session.mjs';

/** From the editor on screen to the test host's first event; activation of "*" extensions takes a few seconds. */
export const HOST_START_TIMEOUT_MS = 120_000;

/**
 * Tails `resultsFile` until the host's `end` event, printing each result as it lands. Throws a
 * HarnessError on a `crash` event, when `whenExited` resolves first (to the message to throw),
 * when the host has not started within `hostStartTimeoutMs`, or at `deadline`.
 * @param {{
 *   resultsFile: string, bundled: string[], report: import('./report.mjs').Report, log: (line: string) => void,
 *   timings: { hostStart?: number, suites?: number }, deadline: number, timeoutSeconds: number | string,
 *   whenExited: Promise<string>, startedFrom: string, hostStartTimeoutMs?: number,
 * }} options `startedFrom` names the moment the host start is timed from ("the workbench loading")
 */
export async function followResults({ resultsFile, bundled, report, log, timings, deadline, timeoutSeconds, whenExited, startedFrom, hostStartTimeoutMs = HOST_START_TIMEOUT_MS }) {
  const waitStarted = Date.now();
  let offset = 0;
  let pending = '';
  let startedAt;
  let running;
  let exited;
  whenExited.then((message) => (exited = message));
  for (;;) {
    // Read before looking at `exited`: every event written before the editor exited is seen.
    if (fs.existsSync(resultsFile)) {
      const text = fs.readFileSync(resultsFile, 'utf8');
      pending += text.slice(offset);
      offset = text.length;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const event = JSON.parse(line);
        switch (event.type) {
          case 'start':
            startedAt = Date.now();
            timings.hostStart = startedAt - waitStarted;
            log(`test host running ${event.total} test(s) in VS Code ${event.vscodeVersion}`);
            break;
          case 'suite':
            report.suite(event.titlePath);
            break;
          case 'test':
            running = event.titlePath;
            break;
          case 'pass':
            report.pass(event.titlePath, event.duration);
            break;
          case 'pending':
            report.skip(event.titlePath);
            break;
          case 'fail':
            report.fail(event.titlePath, { ...event.error, stack: mapStackToSources(event.error.stack, bundled) });
            break;
          case 'crash':
            throw new HarnessError(`the test host failed before finishing:\n${mapStackToSources(event.error.stack, bundled) ?? event.error.message}`);
          case 'end':
            timings.suites = event.elapsedMs;
            return;
          default:
            throw new HarnessError(`unknown event from the test host: ${line}`);
        }
      }
    }
    if (exited) throw new HarnessError(exited);
    if (Date.now() > deadline) {
      const during = running ? ` (running "${running.join(' > ')}")` : '';
      throw new HarnessError(`the suites did not finish within the ${timeoutSeconds} s deadline${during}`);
    }
    if (!startedAt && Date.now() - waitStarted > hostStartTimeoutMs) {
      throw new HarnessError(`the test host did not start within ${hostStartTimeoutMs / 1000} s of ${startedFrom} (activation error?)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
