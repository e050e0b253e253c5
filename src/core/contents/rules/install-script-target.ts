/** Describes the file an install script runs when the script or the file is new or changed: size, shape and what it uses. */

import { formatList, quote } from '../../format';
import type { EvidenceValue, Finding, Severity } from '../../types';
import { reachFrom } from '../compare';
import type { ContentsRule, ContentsRuleInput, FileFacts, InstallTarget } from '../types';
import { byStep, DANGEROUS_KINDS, formatSize } from './support';

const ID = 'install-script-target';

export const installScriptTarget: ContentsRule = {
  meta: {
    id: ID,
    defaultSeverity: 'warning',
    description: 'Describes the file a new or changed install script runs: new or existing, size, obfuscated or not, what it uses.',
  },
  check: (input) => input.diff.installTargets.map((target) => describeTarget(input, target)).filter((f): f is Finding => f !== undefined),
};

/** The capability kinds of `file` and what it reaches in the previous release. */
function capabilityKinds(input: ContentsRuleInput, file: string | undefined): Set<string> {
  const before = input.before;
  if (before === undefined || file === undefined) return new Set();
  const files = new Map(before.files.map((f) => [f.path, f]));
  return new Set(reachFrom(before, [file]).flatMap((path) => files.get(path)?.code?.capabilities ?? []).map((use) => use.kind));
}

function describeTarget(input: ContentsRuleInput, target: InstallTarget): Finding | undefined {
  const sameCommand = target.previousCommand === target.command;
  // The native addon that always ran `node-gyp rebuild`, or the same script running the same file: nothing to say.
  if (input.before !== undefined && sameCommand && (target.fileStatus === 'unchanged' || target.fileStatus === 'none')) return undefined;
  const files = new Map(input.after.files.map((file) => [file.path, file]));
  const file = target.file === undefined ? undefined : files.get(target.file);
  const reached = file === undefined ? [] : reachFrom(input.after, [file.path]).map((path) => files.get(path)).filter((f): f is FileFacts => f !== undefined);
  const uses = [...new Set(reached.flatMap((f) => f.code?.capabilities ?? []).map((use) => use.detail))];
  const kinds = new Set(reached.flatMap((f) => f.code?.capabilities ?? []).map((use) => use.kind));
  const hosts = [...new Set(reached.flatMap((f) => f.code?.hosts ?? []))];
  const shape = file?.shape?.shape;
  const risky = shape === 'obfuscated' || shape === 'minified' || [...kinds].some((kind) => DANGEROUS_KINDS.has(kind));
  const changedSomething = !sameCommand || target.fileStatus === 'new' || target.fileStatus === 'changed';

  // For the same command running an updated file, only what the file newly does counts: an installer that
  // always downloaded and spawned (a binary fetcher) is not news when it is updated.
  const priorKinds = sameCommand && target.fileStatus === 'changed' ? capabilityKinds(input, target.file) : new Set<string>();
  const newKinds = [...kinds].filter((kind) => !priorKinds.has(kind));
  const priorShape = sameCommand && target.fileStatus === 'changed' && target.file !== undefined ? input.before?.files.find((f) => f.path === target.file)?.shape?.shape : undefined;
  const newlyObfuscated = shape === 'obfuscated' && priorShape !== 'obfuscated';

  let severity: Severity;
  if (input.before === undefined) severity = 'info';
  else if (target.fileStatus === 'missing') severity = 'warning';
  else if (changedSomething && risky && (newlyObfuscated || newKinds.some((kind) => DANGEROUS_KINDS.has(kind)))) severity = byStep(input, 'error');
  else if (!sameCommand || target.fileStatus === 'new') severity = byStep(input, 'warning');
  else severity = 'info';

  const name = `${input.name}@${input.version}`;
  const scriptState = target.previousCommand === undefined ? 'new' : sameCommand ? 'unchanged' : `changed from ${quote(target.previousCommand, 60)}`;
  let description: string;
  if (target.file === undefined) description = 'runs no file of the package (a command or inline code)';
  else if (file === undefined) description = `names ${target.file}, which is not in the tarball (it may be downloaded or generated at install time)`;
  else {
    const status = target.fileStatus === 'new' ? 'a new file' : target.fileStatus === 'changed' ? 'changed since the previous release' : 'unchanged';
    const details = [
      formatSize(file.size),
      shape === undefined ? (file.binary !== undefined ? 'a native binary' : 'not JavaScript') : shape === 'plain' ? 'not minified or obfuscated' : shape,
      uses.length > 0 ? `uses ${formatList(uses.map((u) => `\`${u}\``))}` : file.code?.notParsed !== undefined ? `not parsed: ${file.code.notParsed}` : 'uses no child process, network, eval or environment listing',
      ...(hosts.length > 0 ? [`mentions ${formatList(hosts.slice(0, 5))}`] : []),
    ];
    description = `runs ${target.file}: ${status}, ${details.join('; ')}`;
  }
  const fact = `${name}'s ${target.hook} script (${scriptState}: ${quote(target.command, 80)}) ${description}.`;
  const advice = severity === 'info' ? 'npm runs it on every install.' : `npm runs it on every install: read ${target.file ?? 'the script'} before installing${input.previous === undefined ? '' : `, or stay on ${input.previous.version}`}.`;
  const evidence: Record<string, EvidenceValue> = {
    previousVersion: input.previous?.version ?? null,
    hook: target.hook,
    command: target.command,
    previousCommand: target.previousCommand ?? null,
    file: target.file ?? null,
    fileStatus: target.fileStatus,
    size: file?.size ?? null,
    shape: shape ?? null,
    uses,
    hosts,
    requires: [...new Set(reached.flatMap((f) => f.code?.requires ?? []))].slice(0, 20),
  };
  return { rule: ID, severity, package: input.name, version: input.version, message: `${fact} ${advice}`, evidence };
}
