/** What the content rules share: how a release moved on from its predecessor, and how sizes and capabilities are described. */

import semver from 'semver';
import { describeStep as describeValidStep } from '../../rules/support/install-scripts';
import type { Severity } from '../../types';
import type { CapabilityUse, ContentsRuleInput, FileFacts, InspectedTarball } from '../types';

/** Content rules report at most this many files per release; the rest are counted in the message. */
export const MAX_FILES_PER_RULE = 10;

/** describeStep for versions that may not be valid semver (a hostile packument): `a release` then. */
function describeStep(from: string, to: string, sameLine: boolean): string {
  return semver.valid(from) === null || semver.valid(to) === null ? 'a release' : describeValidStep(from, to, sameLine);
}

/** True for a patch or minor release on the same line: a caret range takes it unasked. */
export function isQuietStep(input: ContentsRuleInput): boolean {
  const previous = input.previous;
  if (previous === undefined || !previous.sameLine) return false;
  const step = describeStep(previous.version, input.version, true);
  return step === 'a patch release' || step === 'a minor release';
}

/** `in a patch release`, `in a new major release`, … */
export function stepText(input: ContentsRuleInput): string {
  const previous = input.previous;
  return previous === undefined ? 'in its first release' : `in ${describeStep(previous.version, input.version, previous.sameLine)}`;
}

/** The severity for a step: `strong` in a patch/minor release, one lower otherwise. */
export function byStep(input: ContentsRuleInput, strong: Severity): Severity {
  if (isQuietStep(input)) return strong;
  return strong === 'error' ? 'warning' : 'info';
}

/** `1,234 bytes`, `48.2 KB`, `3.6 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes.toLocaleString('en-US')} bytes`;
  if (bytes < 1024 * 1024) return `${(Math.round((bytes / 1024) * 10) / 10).toLocaleString('en-US')} KB`;
  return `${(Math.round((bytes / (1024 * 1024)) * 10) / 10).toLocaleString('en-US')} MB`;
}

export function fileMap(tarball: InspectedTarball | undefined): Map<string, FileFacts> {
  return new Map((tarball?.files ?? []).map((file) => [file.path, file]));
}

/** The key a capability is compared by between versions. */
export function capabilityKey(use: Pick<CapabilityUse, 'kind' | 'detail'>): string {
  return `${use.kind}:${use.detail}`;
}

/** Powerful enough that a new use in code run at install time is an error. */
export const DANGEROUS_KINDS = new Set(['child-process', 'eval', 'vm', 'function-constructor', 'env-enumeration', 'network', 'dns']);
