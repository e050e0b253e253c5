/** Flags a version that runs an install-time script when the release it followed did not. */

import { quote } from '../format';
import { findVersion, hasInstallScripts } from '../history';
import type { EvidenceValue, Finding, Rule, Severity } from '../types';
import { allowScriptsVerdict } from './support/allow-scripts';
import { definedHooks, describeHooks, describeStep, predecessor } from './support/install-scripts';

export const installScriptAdded: Rule = {
  meta: {
    id: 'install-script-added',
    defaultSeverity: 'error',
    description: 'Runs a preinstall, install or postinstall script that the previous release did not have.',
  },
  check: ({ history, version, policy }) => {
    const facts = findVersion(history, version);
    if (facts === undefined || hasInstallScripts(facts) !== true) return [];
    const previous = predecessor(history, version);
    // Quiet unless the predecessor is known to have had no script (an abbreviated document may not say).
    if (previous !== undefined && hasInstallScripts(previous.facts) !== false) return [];

    const hooks = definedHooks(facts);
    const quoted = hooks.map((hook) => quote(facts.installScripts?.[hook] ?? '', 80));
    const scripts = hooks.length === 1 ? (quoted[0] ?? '') : hooks.map((hook, i) => `${hook}: ${quoted[i] ?? ''}`).join(', ');
    const what = `${describeHooks(hooks)}${scripts === '' ? '' : ` (${scripts})`}`;
    const name = `${history.name}@${version}`;
    const approval = allowScriptsVerdict(policy.allowScripts, history.name, version);

    let severity: Severity;
    let fact: string;
    let advice: string;
    if (previous === undefined) {
      severity = 'info';
      fact = `${name} runs ${what}, and there is no earlier release to compare it with.`;
      advice = 'npm runs it on every install: read it before installing.';
    } else {
      severity = previous.sameLine ? 'error' : 'warning';
      fact = `${name} adds ${what} that ${previous.facts.version} did not have, in ${describeStep(previous.facts.version, version, previous.sameLine)}.`;
      advice =
        'npm runs it on every install, which is how most hijacked releases steal credentials: ' +
        `read the script before installing, or stay on ${previous.facts.version}.`;
    }
    if (approval?.verdict === 'approved') {
      severity = 'info';
      advice = `It is approved in allowScripts (${JSON.stringify(approval.key)}).`;
    } else if (approval?.verdict === 'denied') {
      severity = 'error';
      advice = `It is denied in allowScripts (${JSON.stringify(approval.key)}): keep it denied unless you have read the script, and expect the package to fail if it needs it.`;
    }
    const message = `${fact} ${advice}`;

    const evidence: Record<string, EvidenceValue> = { previousVersion: previous?.facts.version ?? null, hooks };
    for (const hook of hooks) evidence[hook] = facts.installScripts?.[hook] ?? null;
    if (approval !== undefined) evidence.allowScripts = approval.key;
    const finding: Finding = { rule: 'install-script-added', severity, package: history.name, version, message, evidence };
    return [finding];
  },
};
