/** The Action's bundled entry (dist/action.js): the only Action code that touches `process`; it sets `process.exitCode`, never exits. */

import { appendFile, readFile, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import { version } from '../../package.json';
import { neutralise } from '../core/neutralise';
import { ActionInputError, runAction } from './run';

void runAction(
  {
    env: process.env,
    cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
    log: (text) => process.stdout.write(text),
    readFile: (file) => readFile(file, 'utf8'),
    appendFile: (file, text) => appendFile(file, text),
    writeFile: (file, text) => writeFile(file, text),
    fetch: globalThis.fetch,
    now: () => new Date(),
    platform: process.platform,
    homedir: os.homedir(),
  },
  version,
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // The one place an unexpected error is caught: a workflow error line, the stack for the log, exit code 2.
    const message = error instanceof Error ? error.message : String(error);
    process.stdout.write(`::error::dependency-risk: ${neutralise(message).replace(/%/g, '%25').replace(/\r?\n/g, '%0A')}\n`);
    if (!(error instanceof ActionInputError) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 2;
  },
);
