/** Flags JavaScript added, grown or rewritten in a release that has the shape of obfuscated or packed code, when the previous release's code did not. */

import type { EvidenceValue, Finding, Severity } from '../../types';
import type { ContentsRule, ContentsRuleInput, FileFacts } from '../types';
import { byStep, fileMap, formatSize, MAX_FILES_PER_RULE, stepText } from './support';

const ID = 'contents-obfuscated';

export const contentsObfuscated: ContentsRule = {
  meta: {
    id: ID,
    defaultSeverity: 'error',
    description: 'Adds, grows or rewrites a JavaScript file with the shape of obfuscated or packed code that the previous release did not ship.',
  },
  check: (input) => {
    const { before, after, diff, previous } = input;
    // A first release has nothing to compare with: its shape alone says little.
    if (before === undefined || previous === undefined) return [];
    const old = fileMap(before);
    const now = fileMap(after);
    const everObfuscated = before.files.some((file) => file.shape?.shape === 'obfuscated');
    const everMinified = before.files.some((file) => file.shape?.shape === 'minified' || file.shape?.shape === 'obfuscated');
    const reachable = new Set(diff.reachable);
    const findings: Finding[] = [];
    // Changed files count too: a payload may replace a file with smaller obfuscated code.
    const candidates = [...diff.added, ...diff.grown.map((file) => file.path), ...diff.changed.map((file) => file.path)].sort();
    for (const path of candidates) {
      const file = now.get(path);
      const shape = file?.shape;
      if (file === undefined || shape === undefined || shape.shape === 'plain') continue;
      const prior = old.get(path);
      const verdict = judge(input, file, prior, { everObfuscated, everMinified, reachable: reachable.has(path) });
      if (verdict === undefined) continue;
      findings.push(verdict);
    }
    return findings.slice(0, MAX_FILES_PER_RULE);
  },
};

interface PackageShape {
  readonly everObfuscated: boolean;
  readonly everMinified: boolean;
  readonly reachable: boolean;
}

function judge(input: ContentsRuleInput, file: FileFacts, prior: FileFacts | undefined, pkg: PackageShape): Finding | undefined {
  const shape = file.shape;
  if (shape === undefined) return undefined;
  const previousVersion = input.previous?.version ?? '';
  const name = `${input.name}@${input.version}`;
  let severity: Severity;
  let what: string;
  if (shape.shape === 'obfuscated') {
    if (prior?.shape?.shape === 'obfuscated' || (prior === undefined && pkg.everObfuscated)) return undefined;
    severity = byStep(input, 'error');
    what = 'the shape of obfuscated code';
  } else {
    // Minified: quiet when the package already shipped minified code (a bundle that grew), loud when a hand-written file gains a packed line.
    if (prior === undefined ? pkg.everMinified || !pkg.reachable : prior.shape?.shape !== 'plain') return undefined;
    severity = byStep(input, 'warning');
    what = prior === undefined ? 'the shape of minified or packed code' : 'a line of minified or packed code';
  }
  const change =
    prior === undefined
      ? `adds ${file.path} (${formatSize(file.size)})`
      : file.size > prior.size
        ? `grows ${file.path} from ${formatSize(prior.size)} to ${formatSize(file.size)}`
        : `rewrites ${file.path} (${formatSize(prior.size)}, now ${formatSize(file.size)})`;
  const reasons = shape.reasons.join(', ');
  const line = shape.firstSuspiciousLine ?? shape.longestLineAt;
  const fact = `${name} ${change} with ${what} (${reasons}), which ${previousVersion} did not have, ${stepText(input)}.`;
  const advice =
    shape.shape === 'obfuscated'
      ? `Obfuscated code appended to a package is how the 2025 chalk/debug compromise hid its payload: read ${file.path} near line ${line} before installing, or stay on ${previousVersion}.`
      : `Packed code in a file that was hand-written can hide a payload: read ${file.path} near line ${line} before installing, or stay on ${previousVersion}.`;
  const evidence: Record<string, EvidenceValue> = {
    previousVersion,
    file: file.path,
    sizeBefore: prior?.size ?? null,
    sizeAfter: file.size,
    shape: shape.shape,
    reasons: shape.reasons,
    line,
    excerpt: shape.excerpt ?? null,
  };
  return { rule: ID, severity, package: input.name, version: input.version, message: `${fact} ${advice}`, evidence };
}
