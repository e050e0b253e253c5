/**
 * "Nothing is ever executed" (issue 7): no source file can start a process, evaluate a string as code
 * or load a module from a computed path. The scan reads the TypeScript syntax tree, so the words in
 * strings, comments and regular expressions (the contents inspector looks for exactly these APIs in
 * packages) do not count, and a new use anywhere in src/ fails here.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const SRC = join(__dirname, '..', '..', 'src');

/** Modules that run code or processes: child processes, script contexts, threads, raw requires. */
const BANNED_MODULES = new Set(['child_process', 'vm', 'worker_threads', 'cluster', 'module', 'repl', 'inspector'].flatMap((m) => [m, `node:${m}`]));
/** Functions that run a process or evaluate a string, when called by their bare name. */
const BANNED_CALLS = new Set(['eval', 'Function', 'exec', 'execSync', 'execFile', 'execFileSync', 'spawn', 'spawnSync', 'fork', 'createRequire']);
/** `process.<member>` that loads native code. */
const BANNED_PROCESS_MEMBERS = new Set(['binding', '_linkedBinding', 'dlopen']);

/** Every use of a banned API in one file's text, as `line: what`. */
export function executionRisks(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const report = (node: ts.Node, what: string) => found.push(`${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${what}`);
  const checkSpecifier = (node: ts.Node, argument: ts.Expression | undefined, how: string) => {
    if (argument === undefined || !ts.isStringLiteralLike(argument)) report(node, `${how} of a computed path`);
    else if (BANNED_MODULES.has(argument.text)) report(node, `${how} of ${argument.text}`);
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      checkSpecifier(node, node.moduleSpecifier, 'import');
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      checkSpecifier(node, node.moduleReference.expression, 'import = require');
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) checkSpecifier(node, node.arguments[0], 'dynamic import');
      else if (ts.isIdentifier(callee) && callee.text === 'require') checkSpecifier(node, node.arguments[0], 'require');
      else if (ts.isIdentifier(callee) && BANNED_CALLS.has(callee.text)) report(node, `call of ${callee.text}`);
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Function') {
      report(node, 'new Function');
    } else if (ts.isIdentifier(node) && node.text === 'eval' && !isPropertyName(node)) {
      // `(0, eval)(code)` and `const e = eval` are eval too.
      report(node, 'reference to eval');
    } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process' && BANNED_PROCESS_MEMBERS.has(node.name.text)) {
      report(node, `process.${node.name.text}`);
    } else if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'shell' && node.initializer.kind === ts.SyntaxKind.TrueKeyword) {
      report(node, 'shell: true');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...new Set(found)];
}

/** `x.eval`, `{ eval: 1 }`: a name, not the global function. */
function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node) || (ts.isMethodDeclaration(parent) && parent.name === node);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : /\.(?:ts|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/**
 * The one reviewed exception: `diff` reads git revisions by running `git` itself (issue 9). Only this
 * file may, only the literal program `git`, never through a shell; the test below checks that.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  'core/review/git.ts': ['import of node:child_process', 'call of execFile'],
};

describe('nothing is ever executed (issue 7)', () => {
  it('no file in src/ starts a process, evaluates a string or loads a module from a computed path', () => {
    const risks = sourceFiles(SRC).flatMap((file) => {
      const name = relative(SRC, file).split('\\').join('/');
      return executionRisks(file, readFileSync(file, 'utf8'))
        .filter((risk) => !(ALLOWED[name] ?? []).includes(risk.replace(/^\d+: /, '')))
        .map((risk) => `${name}:${risk}`);
    });
    assert.deepStrictEqual(risks, []);
  });

  it('the exception runs only the program git, by its literal name and without a shell (issue 9)', () => {
    const file = join(SRC, 'core', 'review', 'git.ts');
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const programs: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'execFile') {
        const first = node.arguments[0];
        programs.push(first !== undefined && ts.isStringLiteralLike(first) ? first.text : '<computed>');
      }
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'shell') programs.push('<shell option>');
      ts.forEachChild(node, visit);
    };
    visit(source);
    assert.deepStrictEqual(programs, ['git']);
  });

  it('still loads the documented lazy chunks, by literal path (control)', () => {
    const dynamic = sourceFiles(SRC)
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]))
      .filter((specifier) => /chunk$/.test(specifier ?? ''));
    assert.ok(dynamic.includes('./pacote-chunk') && dynamic.includes('./parsers-chunk'), JSON.stringify(dynamic));
  });

  it('catches each forbidden form, however it is written (control)', () => {
    const example = [
      "import { exec } from 'child_process';",
      "import * as cp from 'node:child_process';",
      "export { runInNewContext } from 'node:vm';",
      "import w = require('worker_threads');",
      "const m = await import(`./plugins/${name}`);",
      'const n = require(path);',
      "exec('npm install');",
      "spawnSync('git', args, { shell: true });",
      "eval('1 + 1');",
      "(0, eval)('x');",
      "const f = new Function('return 1');",
      "Function('return this')();",
      "process.dlopen(module, file);",
      "createRequire(import.meta.url)('x');",
    ].join('\n');
    assert.deepStrictEqual(executionRisks('example.ts', example), [
      '1: import of child_process',
      '2: import of node:child_process',
      '3: import of node:vm',
      '4: import = require of worker_threads',
      '5: dynamic import of a computed path',
      '6: require of a computed path',
      '7: call of exec',
      '8: call of spawnSync',
      '8: shell: true',
      '9: call of eval',
      '9: reference to eval',
      '10: reference to eval',
      '11: new Function',
      '12: call of Function',
      '13: process.dlopen',
      '14: call of createRequire',
    ]);
  });

  it('ignores the same words in strings, comments, regular expressions and property names (near misses)', () => {
    const nearMisses = [
      "const kinds = { child_process: 'child-process', eval: 'eval' };",
      "// never call eval( or spawn( here; require(dynamic) is banned",
      "const found = /\\beval\\(|new Function\\(/.exec(text);",
      "const chunk = await import('./pacote-chunk');",
      "const http = await import('node:http');",
      "if (name === 'eval' || property === 'Function') use(node.eval, globalThis.Function);",
      "const options = { shell: false };",
    ].join('\n');
    assert.deepStrictEqual(executionRisks('near-miss.ts', nearMisses), []);
  });
});
