/**
 * Times the extension's activation outside VS Code: loads a bundled dist/extension.js in plain Node
 * with a minimal fake `vscode` module, calls `activate`, and records every network attempt and
 * whether a lazy chunk (pacote.js, parsers.js) was loaded, during activation and for 1.5 s after it
 * (past the delayed first workspace scan). Usage: node activation.cjs <extension.js> ; prints JSON.
 */
'use strict';

const Module = require('node:module');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { performance } = require('node:perf_hooks');

const extensionFile = resolve(process.argv[2] ?? 'dist/extension.js');

// Network: every way a bundle could open a connection or resolve a name is counted.
const network = [];
const count = (what) => (original) =>
  function counted(...args) {
    network.push({ what, stack: new Error().stack.split('\n').slice(2, 6).join(' | ') });
    return original.apply(this, args);
  };
const net = require('node:net');
const http = require('node:http');
const https = require('node:https');
const dns = require('node:dns');
net.Socket.prototype.connect = count('net.Socket.connect')(net.Socket.prototype.connect);
for (const [mod, name] of [[http, 'http'], [https, 'https']]) {
  mod.request = count(`${name}.request`)(mod.request);
  mod.get = count(`${name}.get`)(mod.get);
}
dns.lookup = count('dns.lookup')(dns.lookup);
const realFetch = globalThis.fetch;
globalThis.fetch = count('fetch')(realFetch);

/** A stand-in for any vscode API object: callable, constructible, iterable (empty), disposable; remembers what is assigned to it. */
function stub(path) {
  const assigned = new Map();
  const target = function fakeFunction() {};
  return new Proxy(target, {
    get(_, prop) {
      if (assigned.has(prop)) return assigned.get(prop);
      if (prop === 'then') return undefined;
      if (prop === Symbol.iterator) return function* empty() {};
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === 'dispose') return () => undefined;
      const child = stub(`${path}.${String(prop)}`);
      assigned.set(prop, child);
      return child;
    },
    set(_, prop, value) {
      assigned.set(prop, value);
      return true;
    },
    apply: () => stub(`${path}()`),
    construct: () => stub(`new ${path}`),
  });
}

class EventEmitter {
  listeners = new Set();
  event = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value) {
    for (const listener of this.listeners) listener(value);
  }
  dispose() {
    this.listeners.clear();
  }
}
class Disposable {
  constructor(callback) {
    this.callback = callback;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((item) => item?.dispose?.()));
  }
  dispose() {
    this.callback?.();
  }
}
const uri = (fsPath) => ({ scheme: 'file', fsPath, path: fsPath, toString: () => `file://${fsPath}` });

// A plain object (a bundle copies the module's own properties), each namespace or class a stub.
const API = 'workspace window languages commands env extensions l10n tasks debug CodeAction CodeActionKind Range Position Selection Location MarkdownString Hover WorkspaceEdit Diagnostic DiagnosticSeverity DiagnosticRelatedInformation DiagnosticTag StatusBarAlignment ProgressLocation ConfigurationTarget LanguageStatusSeverity ThemeColor ThemeIcon RelativePattern CancellationTokenSource TextEdit';
const vscode = Object.fromEntries(API.split(' ').map((name) => [name, stub(`vscode.${name}`)]));
Object.assign(vscode, {
  EventEmitter,
  Disposable,
  Uri: { file: uri, parse: (text) => uri(text.replace(/^file:\/\//, '')), joinPath: (base, ...parts) => uri(join(base.fsPath, ...parts)) },
});
Object.assign(vscode.workspace, {
  isTrusted: true,
  textDocuments: [],
  workspaceFolders: [],
  findFiles: async () => [],
  getConfiguration: () => ({ get: (_key, fallback) => fallback, inspect: () => undefined, has: () => false, update: async () => undefined }),
});
vscode.window.activeTextEditor = undefined;

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveVscode(request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolveFilename.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };

const storage = mkdtempSync(join(tmpdir(), 'dr-bench-activation-'));
const context = stub('context');
Object.assign(context, { subscriptions: [], globalStorageUri: uri(storage), extensionUri: uri(join(extensionFile, '..', '..')), extensionPath: join(extensionFile, '..', '..') });

const loadedChunks = () =>
  Object.keys(require.cache)
    .filter((file) => /[\\/](pacote|parsers)\.js$/.test(file))
    .map((file) => file.split(/[\\/]/).pop());

const t0 = performance.now();
const extension = require(extensionFile);
const t1 = performance.now();
extension.activate(context);
const t2 = performance.now();
const during = { network: network.length, chunks: loadedChunks() };

setTimeout(() => {
  for (const item of context.subscriptions) item?.dispose?.();
  rmSync(storage, { recursive: true, force: true });
  // Control: the counters see a connection attempt when there is one.
  const before = network.length;
  http.get('http://127.0.0.1:9/').on('error', () => undefined);
  const result = {
    controlCounted: network.length > before,
    requireMs: t1 - t0,
    activateMs: t2 - t1,
    totalMs: t2 - t0,
    networkDuringActivation: during.network,
    chunksDuringActivation: during.chunks,
    networkAfter1500ms: before,
    chunksAfter1500ms: loadedChunks(),
    networkStacks: network.slice(0, before).map((n) => `${n.what}: ${n.stack}`).slice(0, 5),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}, 1500);
