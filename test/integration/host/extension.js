/** Test-host extension: runs the mocha suites named by DR_TEST_SUITES in the extension host and streams results to DR_TEST_RESULTS. */
// Plain CommonJS so it needs no build. It does nothing unless run.mjs started this VS Code: the
// runner passes its settings through code-server's environment, which the extension host inherits.
//
// Protocol (one JSON object per line, appended to DR_TEST_RESULTS):
//   {type:'start', vscodeVersion, suites, total}
//   {type:'suite', titlePath}                 a describe() block begins
//   {type:'test', titlePath}                  a test begins (named by the runner if the deadline hits)
//   {type:'pass'|'fail'|'pending', titlePath, duration?, error?}
//   {type:'end', passed, failed, pending, elapsedMs}
//   {type:'crash', error}                      the harness itself failed
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** @param {import('vscode').ExtensionContext} _context */
function activate(_context) {
  const resultsFile = process.env.DR_TEST_RESULTS;
  if (!resultsFile) return;
  // A reload of the workbench (e.g. a UI script opening a file) starts a new extension host:
  // the suites run once per runner session, claimed by creating the lock file exclusively.
  try {
    fs.writeFileSync(resultsFile + '.lock', String(process.pid), { flag: 'wx' });
  } catch (error) {
    if (error && error.code === 'EEXIST') return; // another extension host already ran them
    throw error;
  }
  const emit = (event) => fs.appendFileSync(resultsFile, JSON.stringify(event) + '\n');
  // Run after activation returns, so this extension never delays the others.
  setTimeout(() => {
    runSuites(emit).catch((error) => emit({ type: 'crash', error: serializeError(error) }));
  }, 0);
}

/** Loads mocha from the repository, adds the compiled suites and reports each event. */
async function runSuites(emit) {
  const vscode = require('vscode');
  const suites = (process.env.DR_TEST_SUITES || '').split(path.delimiter).filter(Boolean);
  // Mocha comes from the repository's node_modules by absolute path: this folder has none.
  // Mocha 12 is an ES module package whose lib/mocha.cjs requires ESM files: fine on the Node 24
  // that code-server runs the extension host on.
  const loaded = require(process.env.DR_MOCHA_PATH);
  const Mocha = typeof loaded === 'function' ? loaded : loaded.default || loaded.Mocha;
  // Stack traces point into the TypeScript sources through the bundles' inline source maps.
  process.setSourceMapsEnabled(true);

  const counts = { passed: 0, failed: 0, pending: 0 };
  /** A mocha reporter is constructed before the run starts, so it sees every event. */
  function StreamingReporter(runner) {
    emit({ type: 'start', vscodeVersion: vscode.version, suites, total: runner.total });
    runner.on('suite', (suite) => {
      if (!suite.root) emit({ type: 'suite', titlePath: suite.titlePath() });
    });
    runner.on('test', (test) => emit({ type: 'test', titlePath: test.titlePath() }));
    runner.on('pass', (test) => {
      counts.passed++;
      emit({ type: 'pass', titlePath: test.titlePath(), duration: test.duration });
    });
    runner.on('pending', (test) => {
      counts.pending++;
      emit({ type: 'pending', titlePath: test.titlePath() });
    });
    // 'fail' also fires for hooks (before/after): each counts as one failure, like mocha's own reporters.
    runner.on('fail', (test, error) => {
      counts.failed++;
      emit({ type: 'fail', titlePath: test.titlePath(), duration: test.duration, error: serializeError(error) });
    });
  }

  const mocha = new Mocha({
    ui: 'bdd',
    timeout: Number(process.env.DR_TEST_TIMEOUT_MS) || 20000,
    color: false,
    reporter: StreamingReporter,
    grep: process.env.DR_TEST_GREP || undefined,
  });
  for (const file of suites) mocha.addFile(file);
  const started = Date.now();
  await new Promise((resolve) => mocha.run(resolve));
  const elapsedMs = Date.now() - started;
  await leaveCleanWorkbench(vscode);
  emit({ type: 'end', ...counts, elapsedMs });
}

/** Reverts and closes what the suites left open, so UI scripts that follow start from an empty editor area. */
async function leaveCleanWorkbench(vscode) {
  const work = (async () => {
    for (const document of vscode.workspace.textDocuments) {
      if (!document.isDirty || document.isClosed) continue;
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  })();
  // Best effort: a workbench that does not answer within 10 s must not hold back the results.
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10000))]);
}

function serializeError(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const result = { message: error.message, stack: error.stack, name: error.name };
  if ('actual' in error || 'expected' in error) {
    result.actual = stringify(error.actual);
    result.expected = stringify(error.expected);
  }
  return result;
}

function stringify(value) {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    // Circular or otherwise unserialisable values: show what String() gives.
    return String(value);
  }
}

function deactivate() {}

module.exports = { activate, deactivate };
