/** The `extensionTestsPath` module of the desktop runner (electron.mjs): VS Code calls `run()` in the extension host and exits when it settles. */
// The suites themselves are run by the test-host extension (host/extension.js) on activation, as
// under code-server; run() only waits for that host's `end` or `crash` event in DR_TEST_RESULTS and
// resolves (all passed) or rejects (a test failed, the host crashed, or it took too long), which
// sets VS Code's exit code. electron.mjs reads the same file and prints the results.
'use strict';

const fs = require('node:fs');

const POLL_MS = 200;
/** A little longer than electron.mjs's own limits, so that its (clearer) message is the one shown. */
const GRACE_MS = 15_000;
const HOST_START_TIMEOUT_MS = Number(process.env.DR_HOST_START_TIMEOUT_MS) || 120_000;

function run() {
  const resultsFile = process.env.DR_TEST_RESULTS;
  if (!resultsFile) {
    return Promise.reject(new Error('DR_TEST_RESULTS is not set: start the desktop suites with `npm run test:vscode` (test/integration/electron.mjs)'));
  }
  const deadline = Number(process.env.DR_TEST_DEADLINE) + GRACE_MS || Infinity;
  const startBy = Date.now() + HOST_START_TIMEOUT_MS + GRACE_MS;
  return new Promise((resolve, reject) => {
    let offset = 0;
    let pending = '';
    let started = false;
    const finish = (error) => {
      clearInterval(timer);
      if (error) reject(error);
      else resolve();
    };
    const poll = () => {
      let text;
      try {
        text = fs.readFileSync(resultsFile, 'utf8');
      } catch (error) {
        if (error.code !== 'ENOENT') return finish(error);
        text = ''; // the host has not written its first event yet
      }
      pending += text.slice(offset);
      offset = text.length;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const event = JSON.parse(line);
        if (event.type === 'start') started = true;
        if (event.type === 'crash') return finish(new Error(`the test host failed before finishing: ${event.error.stack || event.error.message}`));
        if (event.type === 'end') {
          return finish(event.failed ? new Error(`${event.failed} test(s) failed`) : undefined);
        }
      }
      if (Date.now() > deadline) return finish(new Error('the suites did not finish before the deadline'));
      if (!started && Date.now() > startBy) return finish(new Error('the test host did not start (is DR_TEST_RESULTS reaching the extension host?)'));
      return undefined;
    };
    const timer = setInterval(poll, POLL_MS);
  });
}

module.exports = { run };
