/** Flags code reachable from a package's entry points or install scripts that newly uses child processes, the network, eval-like APIs or the whole environment. */

import { formatList } from '../../format';
import type { EvidenceValue, Finding, Severity } from '../../types';
import type { CapabilityKind, CapabilityUse, ContentsRule, ContentsRuleInput, FileFacts } from '../types';
import { byStep, capabilityKey, MAX_FILES_PER_RULE, stepText } from './support';

const ID = 'contents-capability-added';

const KIND_TEXT: Readonly<Record<CapabilityKind, string>> = {
  'child-process': 'runs programs',
  network: 'talks to the network',
  dns: 'makes DNS queries',
  eval: 'evaluates code from strings',
  vm: 'compiles code with vm',
  'function-constructor': 'builds functions from strings',
  'env-enumeration': 'reads the whole environment',
};

export const contentsCapabilityAdded: ContentsRule = {
  meta: {
    id: ID,
    defaultSeverity: 'error',
    description: 'Newly uses child_process, the network, eval/vm/new Function, or enumerates process.env in code the package runs.',
  },
  check: (input) => {
    const { before, after, diff, previous } = input;
    if (before === undefined || previous === undefined) return [];
    // Compared over the whole previous package, so code moving between files is not "new".
    const known = new Set<string>();
    for (const file of before.files) {
      for (const use of file.code?.capabilities ?? []) known.add(capabilityKey(use));
      for (const host of file.code?.hosts ?? []) known.add(`host:${host}`);
    }
    const atInstall = new Set(diff.installReachable);
    const reachable = new Set(diff.reachable.length > 0 ? diff.reachable : after.files.map((file) => file.path));
    const findings: Finding[] = [];
    for (const file of after.files) {
      if (!reachable.has(file.path) || file.code === undefined) continue;
      const fresh = file.code.capabilities.filter((use) => !known.has(capabilityKey(use)));
      const newHosts = file.code.hosts.filter((host) => !known.has(`host:${host}`));
      if (fresh.length === 0 && newHosts.length === 0) continue;
      findings.push(describe(input, file, fresh, newHosts, atInstall.has(file.path)));
    }
    return findings.slice(0, MAX_FILES_PER_RULE);
  },
};

function describe(input: ContentsRuleInput, file: FileFacts, fresh: readonly CapabilityUse[], newHosts: readonly string[], atInstall: boolean): Finding {
  const previousVersion = input.previous?.version ?? '';
  const kinds = [...new Set(fresh.map((use) => use.kind))];
  if (kinds.length === 0) kinds.push('network');
  const details = [...new Set(fresh.map((use) => use.detail))];
  const obfuscated = file.shape?.shape === 'obfuscated';
  let severity: Severity;
  if (atInstall || obfuscated) severity = byStep(input, 'error');
  else severity = byStep(input, 'warning');
  const first = fresh[0];
  const runs = atInstall ? 'runs at install time' : 'is reachable from the entry points';
  const notes = [
    ...(details.length > 0 ? [formatList(details.map((detail) => `\`${detail}\``))] : []),
    ...(newHosts.length > 0 ? [`${newHosts.length === 1 ? 'host' : 'hosts'} ${formatList(newHosts.slice(0, 5))}`] : []),
  ];
  const uses = `${formatList(kinds.map((kind) => KIND_TEXT[kind]))} (${notes.join('; ')})`;
  const where = first === undefined ? '' : ` at line ${first.line}`;
  const fact = `${input.name}@${input.version}: ${file.path}, which ${runs}, now ${uses}${where}, which ${previousVersion} never did, ${stepText(input)}.`;
  const advice = atInstall
    ? `npm runs this on every install: read ${file.path} before installing, or stay on ${previousVersion}.`
    : `Read what ${file.path} does with it before upgrading, or stay on ${previousVersion}.`;
  const evidence: Record<string, EvidenceValue> = {
    previousVersion,
    file: file.path,
    capabilities: kinds,
    details,
    hosts: [...newHosts],
    line: first?.line ?? null,
    excerpt: first?.excerpt ?? null,
    installTime: atInstall,
  };
  return { rule: ID, severity, package: input.name, version: input.version, message: `${fact} ${advice}`, evidence };
}
