import assert from 'node:assert/strict';
import * as acorn from 'acorn';
import { findCapabilities } from '../../../src/core/contents/capabilities';

const find = (code: string, path = 'index.js') => findCapabilities(acorn, code, path);
const kinds = (code: string, path?: string) => find(code, path).capabilities.map((use) => `${use.kind}:${use.detail}@${use.line}`);

describe('contents/capabilities (acorn)', () => {
  it('finds modules by require, import, dynamic import and node: prefix', () => {
    assert.deepStrictEqual(kinds('const cp = require("child_process");\nconst n = require(`node:net`);'), ['child-process:child_process@1', 'network:net@2']);
    assert.deepStrictEqual(kinds('import { exec } from "node:child_process";\nimport dns from "dns";\nawait import("vm");', 'x.mjs'), [
      'child-process:child_process@1',
      'dns:dns@2',
      'vm:vm@3',
    ]);
  });

  it('finds eval, indirect eval, Function and the constructor trick', () => {
    assert.deepStrictEqual(kinds('eval(a);\n(0, eval)(b);\nnew Function("x", y);\nFunction(z)();\n[].constructor.constructor("return this")();\nglobalThis.eval(c);'), [
      'eval:eval@1',
      'eval:eval@2',
      'function-constructor:new Function@3',
      'function-constructor:Function()@4',
      'function-constructor:….constructor.constructor()@5',
      'eval:globalThis.eval@6',
    ]);
  });

  it('finds enumeration of process.env, but not reads of one variable or copies for a child process', () => {
    assert.deepStrictEqual(kinds('Object.keys(process.env);\nJSON.stringify(process["env"]);\nfor (const k in process.env) {}\nprocess.env.HOME;\nspawn(c, { env: { ...process.env, X: 1 } });'), [
      'env-enumeration:Object.keys(process.env)@1',
      'env-enumeration:JSON.stringify(process.env)@2',
      'env-enumeration:for (… in process.env)@3',
    ]);
  });

  it('reports literal hosts only for files that use the network', () => {
    assert.deepStrictEqual(find('fetch("https://exfil.example.net/x?y=1"); const docs = "see http://docs.example.org";').hosts, ['docs.example.org', 'exfil.example.net']);
    assert.deepStrictEqual(find('throw new Error("see https://github.com/org/repo/issues")').hosts, []);
  });

  it('a string that merely mentions child_process is not a use (the parser, not a regex)', () => {
    assert.deepStrictEqual(kinds('const help = "do not require(\'child_process\') here"; // require("child_process")'), []);
  });

  it('collects literal require specifiers for reachability', () => {
    assert.deepStrictEqual(find('require("./lib/a"); require("../b.js"); require(name); import("./c.mjs");').requires, ['../b.js', './c.mjs', './lib/a']);
  });

  it('a file that does not parse is marked not parsed, with no capabilities (unknown, not none)', () => {
    const facts = find('function (');
    assert.deepStrictEqual([facts.capabilities, facts.notParsed?.startsWith('syntax error: ')], [[], true]);
  });

  it('parses CommonJS with a top-level return and a hashbang', () => {
    assert.deepStrictEqual(kinds('#!/usr/bin/env node\nif (x) return;\nrequire("child_process");', 'bin/cli'), ['child-process:child_process@3']);
  });
});
