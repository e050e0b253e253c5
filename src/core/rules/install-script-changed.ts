/** Flags a version whose install-time script commands differ from those of the release it followed. */

import { findVersion, INSTALL_HOOKS, type InstallHook } from '../history';
import type { EvidenceValue, Finding, Rule, Severity } from '../types';
import { allowScriptsVerdict } from './support/allow-scripts';
import { definedHooks, describeStep, predecessor } from './support/install-scripts';

export const installScriptChanged: Rule = {
  meta: {
    id: 'install-script-changed',
    defaultSeverity: 'warning',
    description: 'Changes the command of a preinstall, install or postinstall script that the previous release already had.',
  },
  check: ({ history, version, policy }) => {
    const facts = findVersion(history, version);
    const previous = predecessor(history, version);
    const after = facts?.installScripts;
    const before = previous?.facts.installScripts;
    // Both sides must have known scripts; a script appearing from nothing is install-script-added's to report.
    if (facts === undefined || previous === undefined || after === undefined || before === undefined) return [];
    if (definedHooks(facts).length === 0 || definedHooks(previous.facts).length === 0) return [];
    // Compared per hook, so the order of keys in `scripts` never matters.
    const changed: InstallHook[] = INSTALL_HOOKS.filter((hook) => after[hook]?.trim() !== before[hook]?.trim());
    if (changed.length === 0) return [];

    const name = `${history.name}@${version}`;
    const from = previous.facts.version;
    const approval = allowScriptsVerdict(policy.allowScripts, history.name, version);
    let severity: Severity = previous.sameLine ? 'warning' : 'info';
    let advice =
      `Read the new command and what it runs before installing, or stay on ${from}; ` +
      'a changed install script is a common way to slip malware into a trusted package.';
    if (approval?.verdict === 'approved') {
      severity = 'info';
      advice = `It is approved in allowScripts (${JSON.stringify(approval.key)}).`;
    } else if (approval?.verdict === 'denied') {
      severity = 'error';
      advice = `It is denied in allowScripts (${JSON.stringify(approval.key)}): keep it denied unless you have read the script.`;
    }
    const hooks = `${changed.join(' and ')} script${changed.length > 1 ? 's' : ''}`;
    const message = `${name} changes the ${hooks} since ${from}, in ${describeStep(from, version, previous.sameLine)}. ${advice}`;

    const evidence: Record<string, EvidenceValue> = { previousVersion: from, hooks: changed };
    for (const hook of changed) {
      evidence[hook] = after[hook] ?? null;
      evidence[`previous${hook[0]?.toUpperCase() ?? ''}${hook.slice(1)}`] = before[hook] ?? null;
    }
    if (approval !== undefined) evidence.allowScripts = approval.key;
    const finding: Finding = { rule: 'install-script-changed', severity, package: history.name, version, message, evidence };
    return [finding];
  },
};
