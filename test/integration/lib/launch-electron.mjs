/** Calls @vscode/test-electron's runTests with the options in the JSON file named by argv[2], and exits with VS Code's exit code. */
// electron.mjs starts this in a process group of its own (under xvfb-run when Linux has no display),
// so it can end VS Code and everything it started at once, which runTests alone does not offer.
import fs from 'node:fs';
import testElectron from '@vscode/test-electron';

const { runTests, TestRunFailedError } = testElectron;
const options = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
try {
  await runTests(options);
  process.exit(0);
} catch (error) {
  if (error instanceof TestRunFailedError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error.code ?? 1);
  }
  process.stderr.write(`could not start VS Code: ${error?.stack ?? error}\n`);
  process.exit(70);
}
