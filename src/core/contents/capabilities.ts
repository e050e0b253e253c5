/** Finds, with a real JavaScript parser, the powerful APIs a file uses: child processes, network, eval and friends, and reads of the whole environment. */

import { excerptAt } from './shape';
import type { JsParser } from './load-js-parser';
import type { CapabilityKind, CapabilityUse, CodeFacts } from './types';

/** Files larger than this are not parsed: the AST of dense code takes ~50x its size in memory. Real attack bundles are ~4 MB (Shai-Hulud's bundle.js: 3.6 MB); typescript.js is 9 MB. */
export const MAX_PARSE_BYTES = 10 * 1024 * 1024;
/** The walk stops after this long (the parse itself cannot be interrupted; the size cap bounds it). */
export const MAX_WALK_MS = 5_000;
/** Uses recorded per capability and detail; more add nothing to the evidence. */
const MAX_USES_PER_DETAIL = 3;
const MAX_HOSTS = 50;
const MAX_REQUIRES = 500;

const MODULE_CAPABILITIES: Readonly<Record<string, CapabilityKind>> = {
  child_process: 'child-process',
  net: 'network',
  tls: 'network',
  http: 'network',
  https: 'network',
  http2: 'network',
  dgram: 'network',
  dns: 'dns',
  'dns/promises': 'dns',
  vm: 'vm',
};
const ENUMERATORS = new Set(['keys', 'entries', 'values', 'getOwnPropertyNames']);
const URL_HOST = /\b(?:https?|wss?):\/\/([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+|\[[0-9a-f:]+\])/gi;

type Node = { readonly type: string; readonly start: number; readonly end: number } & Readonly<Record<string, unknown>>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The capability a module specifier brings (`node:child_process` too), or undefined. */
export function moduleCapability(specifier: string): CapabilityKind | undefined {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  return Object.hasOwn(MODULE_CAPABILITIES, bare) ? MODULE_CAPABILITIES[bare] : undefined;
}

/**
 * Parses `text` (as a script, then as a module) and walks it. Result lists each capability use
 * (a few per kind and detail, with line and excerpt), the literal hosts when the file uses the
 * network, and the literal module specifiers. A file that does not parse, or is over the caps,
 * comes back with `notParsed` set and no capabilities: unknown, not "none".
 */
export function findCapabilities(parser: JsParser, text: string, path: string, clock: () => number = Date.now): CodeFacts {
  if (text.length > MAX_PARSE_BYTES) return { capabilities: [], hosts: [], requires: [], notParsed: `over the ${MAX_PARSE_BYTES / (1024 * 1024)} MB parse cap` };
  const program = parseLeniently(parser, text, path);
  if (typeof program === 'string') return { capabilities: [], hosts: [], requires: [], notParsed: program };

  const uses: CapabilityUse[] = [];
  const counted = new Map<string, number>();
  const requires = new Set<string>();
  const hosts = new Set<string>();
  let lineStarts: number[] | undefined;
  const lineOf = (offset: number): number => {
    lineStarts ??= computeLineStarts(text);
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  const use = (kind: CapabilityKind, detail: string, node: Node): void => {
    const key = `${kind}\0${detail}`;
    const n = counted.get(key) ?? 0;
    counted.set(key, n + 1);
    if (n < MAX_USES_PER_DETAIL) uses.push({ kind, detail, line: lineOf(node.start), excerpt: excerptAt(text, node.start) });
  };
  const moduleUse = (specifier: string, node: Node): void => {
    if (requires.size < MAX_REQUIRES) requires.add(specifier);
    const kind = moduleCapability(specifier);
    if (kind !== undefined) use(kind, specifier.replace(/^node:/, ''), node);
  };

  const started = clock();
  const stack: unknown[] = [program];
  let visited = 0;
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]);
      continue;
    }
    if (!isNode(node)) continue;
    if (++visited % 10_000 === 0 && clock() - started > MAX_WALK_MS) {
      return { capabilities: uses, hosts: [...hosts], requires: [...requires], notParsed: `the walk stopped after ${MAX_WALK_MS / 1000} s` };
    }
    inspectNode(node, { use, moduleUse, hosts });
    for (const key in node) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const child = node[key];
      if (typeof child === 'object' && child !== null) stack.push(child);
    }
  }
  const usesNetwork = uses.some((u) => u.kind === 'network');
  return { capabilities: uses, hosts: usesNetwork ? [...hosts].sort() : [], requires: [...requires].sort() };
}

interface Visitor {
  readonly use: (kind: CapabilityKind, detail: string, node: Node) => void;
  readonly moduleUse: (specifier: string, node: Node) => void;
  readonly hosts: Set<string>;
}

function inspectNode(node: Node, visit: Visitor): void {
  switch (node.type) {
    case 'Literal':
      if (typeof node['value'] === 'string') collectHosts(node['value'], visit.hosts);
      return;
    case 'TemplateElement': {
      const value = node['value'];
      if (typeof value === 'object' && value !== null && typeof (value as { cooked?: unknown }).cooked === 'string') {
        collectHosts((value as { cooked: string }).cooked, visit.hosts);
      }
      return;
    }
    case 'ImportDeclaration':
    case 'ImportExpression':
    case 'ExportAllDeclaration':
    case 'ExportNamedDeclaration': {
      const source = literalString(node['source']);
      if (source !== undefined) visit.moduleUse(source, node);
      return;
    }
    case 'ForInStatement':
      if (isProcessEnv(node['right'])) visit.use('env-enumeration', 'for (… in process.env)', node);
      return;
    case 'NewExpression':
    case 'CallExpression':
      inspectCall(node, visit);
      return;
    default:
      return;
  }
}

function inspectCall(node: Node, visit: Visitor): void {
  const callee = unwrapSequence(node['callee']);
  const args = Array.isArray(node['arguments']) ? (node['arguments'] as unknown[]) : [];
  const name = identifierName(callee);
  if (name === 'require' && node.type === 'CallExpression') {
    const specifier = literalString(args[0]);
    if (specifier !== undefined) visit.moduleUse(specifier, node);
    return;
  }
  if (name === 'eval') return visit.use('eval', 'eval', node);
  if (name === 'Function') return visit.use('function-constructor', node.type === 'NewExpression' ? 'new Function' : 'Function()', node);
  if (name === 'fetch' && node.type === 'CallExpression') return visit.use('network', 'fetch', node);
  if (name === 'WebSocket' || name === 'XMLHttpRequest') return visit.use('network', name, node);
  if (!isNode(callee) || callee.type !== 'MemberExpression') return;
  const object = callee['object'];
  const property = propertyName(callee);
  const objectName = identifierName(object);
  if ((objectName === 'globalThis' || objectName === 'global' || objectName === 'window') && (property === 'eval' || property === 'fetch' || property === 'Function')) {
    const kind: CapabilityKind = property === 'eval' ? 'eval' : property === 'fetch' ? 'network' : 'function-constructor';
    return visit.use(kind, `${objectName}.${property}`, node);
  }
  // `x.constructor.constructor("code")()` reaches Function without naming it, as obfuscators do.
  if (property === 'constructor' && isNode(object) && object.type === 'MemberExpression' && propertyName(object) === 'constructor') {
    return visit.use('function-constructor', '….constructor.constructor()', node);
  }
  if (objectName === 'Object' && property !== undefined && ENUMERATORS.has(property) && isProcessEnv(args[0])) {
    return visit.use('env-enumeration', `Object.${property}(process.env)`, node);
  }
  if (objectName === 'JSON' && property === 'stringify' && isProcessEnv(args[0])) {
    return visit.use('env-enumeration', 'JSON.stringify(process.env)', node);
  }
}

function collectHosts(value: string, hosts: Set<string>): void {
  if (hosts.size >= MAX_HOSTS || value.length > 100_000 || !value.includes('://')) return;
  for (const match of value.matchAll(URL_HOST)) {
    if (match[1] !== undefined) hosts.add(match[1].toLowerCase());
    if (hosts.size >= MAX_HOSTS) return;
  }
}

function parseLeniently(parser: JsParser, text: string, path: string): unknown {
  const base = { ecmaVersion: 'latest', allowHashBang: true, allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true } as const;
  const order: Array<'script' | 'module'> = path.endsWith('.mjs') ? ['module', 'script'] : ['script', 'module'];
  let firstError = '';
  for (const sourceType of order) {
    try {
      return parser.parse(text, { ...base, sourceType, ...(sourceType === 'module' ? { allowImportExportEverywhere: true } : {}) });
    } catch (error) {
      // A syntax error in one mode may parse in the other; report the first mode's error if both fail.
      if (firstError === '') firstError = error instanceof RangeError ? 'too deeply nested to parse' : `syntax error: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return firstError;
}

function unwrapSequence(value: unknown): unknown {
  // `(0, eval)(code)` is an indirect eval: the callee is the sequence's last expression.
  if (isNode(value) && value.type === 'SequenceExpression' && Array.isArray(value['expressions'])) {
    const expressions = value['expressions'] as unknown[];
    return expressions[expressions.length - 1];
  }
  if (isNode(value) && value.type === 'ChainExpression') return value['expression'];
  return value;
}

function identifierName(value: unknown): string | undefined {
  return isNode(value) && value.type === 'Identifier' && typeof value['name'] === 'string' ? value['name'] : undefined;
}

function literalString(value: unknown): string | undefined {
  if (isNode(value) && value.type === 'Literal' && typeof value['value'] === 'string') return value['value'];
  if (isNode(value) && value.type === 'TemplateLiteral' && Array.isArray(value['expressions']) && value['expressions'].length === 0) {
    const quasis = value['quasis'];
    const first = Array.isArray(quasis) ? (quasis[0] as unknown) : undefined;
    const cooked = isNode(first) ? (first['value'] as { cooked?: unknown } | undefined)?.cooked : undefined;
    return typeof cooked === 'string' ? cooked : undefined;
  }
  return undefined;
}

function propertyName(member: Node): string | undefined {
  const property = member['property'];
  if (member['computed'] === true) return literalString(property);
  return identifierName(property);
}

function isProcessEnv(value: unknown): boolean {
  const inner = unwrapSequence(value);
  return isNode(inner) && inner.type === 'MemberExpression' && identifierName(inner['object']) === 'process' && propertyName(inner) === 'env';
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
