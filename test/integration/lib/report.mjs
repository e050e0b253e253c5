/** Prints test events from the extension host (and UI scripts) the way mocha's spec reporter does, and counts them. */

/** Collects results and prints them as they arrive; `summary()` prints failures and the closing line. */
export class Report {
  constructor(write = (text) => process.stdout.write(text)) {
    this.write = write;
    this.passed = 0;
    this.failed = 0;
    this.pending = 0;
    this.failures = [];
    this.printedSuites = new Set();
  }

  /** Prints the titles of the suites enclosing a test that were not printed yet. */
  suite(titlePath) {
    for (let depth = 1; depth <= titlePath.length; depth++) {
      const key = JSON.stringify(titlePath.slice(0, depth));
      if (this.printedSuites.has(key)) continue;
      this.printedSuites.add(key);
      this.write(`${depth === 1 ? '\n' : ''}${'  '.repeat(depth)}${titlePath[depth - 1]}\n`);
    }
  }

  pass(titlePath, duration) {
    this.passed++;
    this.suite(titlePath.slice(0, -1));
    const slow = duration >= 75 ? ` (${duration}ms)` : '';
    this.write(`${'  '.repeat(titlePath.length)}✔ ${titlePath.at(-1)}${slow}\n`);
  }

  skip(titlePath) {
    this.pending++;
    this.suite(titlePath.slice(0, -1));
    this.write(`${'  '.repeat(titlePath.length)}- ${titlePath.at(-1)}\n`);
  }

  /** @param {{ message: string, stack?: string, actual?: string, expected?: string }} error */
  fail(titlePath, error) {
    this.failed++;
    this.failures.push({ titlePath, error });
    this.suite(titlePath.slice(0, -1));
    this.write(`${'  '.repeat(titlePath.length)}${this.failures.length}) ${titlePath.at(-1)}\n`);
  }

  /** Prints the failure details and, last and alone on its line, `N passed, N failed`. */
  summary() {
    this.write(`\n  ${this.passed} passing\n`);
    if (this.pending) this.write(`  ${this.pending} pending\n`);
    if (this.failed) this.write(`  ${this.failed} failing\n`);
    this.failures.forEach(({ titlePath, error }, index) => {
      this.write(`\n  ${index + 1}) ${titlePath.join('\n       ')}:\n`);
      const stack = error.stack && error.stack.includes(error.message) ? error.stack : `${error.message}\n${error.stack ?? ''}`;
      // node:assert already puts its own diff in a multi-line message; add one only for one-line messages.
      const hasOwnDiff = error.message.includes('\n');
      if (!hasOwnDiff && (error.actual !== undefined || error.expected !== undefined)) {
        this.write(indent(`${stack.split('\n')[0]}\n+ expected - actual\n\n${diffLines(error.actual, error.expected)}\n${stack.split('\n').slice(1).join('\n')}`, 5));
      } else {
        this.write(indent(stack, 5));
      }
    });
    this.write(`\n${this.passed} passed, ${this.failed} failed\n`);
  }
}

function indent(text, spaces) {
  return text.trimEnd().split('\n').map((line) => ' '.repeat(spaces) + line).join('\n') + '\n';
}

/** A plain line diff, enough to read an assertion: lines only in `actual` get `-`, only in `expected` get `+`. */
function diffLines(actual = '', expected = '') {
  const a = String(actual).split('\n');
  const e = String(expected).split('\n');
  const out = [];
  const max = Math.max(a.length, e.length);
  for (let i = 0; i < max; i++) {
    if (a[i] === e[i]) out.push(`  ${a[i]}`);
    else {
      if (i < a.length) out.push(`- ${a[i]}`);
      if (i < e.length) out.push(`+ ${e[i]}`);
    }
  }
  return out.join('\n');
}
