/** What the two install-script rules share: the predecessor a version is compared with, and how hooks are named. */

import semver from 'semver';
import { INSTALL_HOOKS, isPrerelease, previousAnyLine, previousRelease, releaseLine, type InstallHook } from '../../history';
import type { PackageHistory, VersionFacts } from '../../types';

export interface Predecessor {
  readonly facts: VersionFacts;
  /** On the same release line, so a caret range would move from it to this version unasked. */
  readonly sameLine: boolean;
}

/** The release a version followed: on its own line when there is one, else the previous on any line. */
export function predecessor(history: PackageHistory, version: string): Predecessor | undefined {
  const same = previousRelease(history, version);
  if (same !== undefined) return { facts: same, sameLine: true };
  const other = previousAnyLine(history, version);
  return other === undefined ? undefined : { facts: other, sameLine: false };
}

/** The install hooks a version defines, in npm's order; empty when unknown or none. */
export function definedHooks(facts: VersionFacts): InstallHook[] {
  return INSTALL_HOOKS.filter((hook) => facts.installScripts?.[hook] !== undefined);
}

/** `a postinstall script`, `preinstall and postinstall scripts`, `an install script`. */
export function describeHooks(hooks: readonly InstallHook[]): string {
  if (hooks.length === 0) return 'an install script';
  if (hooks.length === 1) return `${hooks[0] === 'install' ? 'an' : 'a'} ${hooks[0]} script`;
  return `${hooks.slice(0, -1).join(', ')} and ${hooks[hooks.length - 1]} scripts`;
}

/** How `to` moved on from `from`: `a patch release`, `a minor release`, `a prerelease`, `a new major release`. */
export function describeStep(from: string, to: string, sameLine: boolean): string {
  if (!sameLine) return semver.major(from) === semver.major(to) ? `a new ${releaseLine(to) ?? to}.x release line` : 'a new major release';
  if (isPrerelease(to)) return 'a prerelease';
  const diff = semver.diff(from, to);
  return diff === 'patch' || diff === 'minor' ? `a ${diff} release` : 'a release';
}
