/** Describes a package change against the version it replaces: install scripts, publisher, trust evidence, age and deprecation. */

import { formatAge } from '../format';
import { findVersion, hasInstallScripts, INSTALL_HOOKS, trustLevel, trustRank } from '../history';
import type { PackageHistory, TrustLevel, VersionFacts } from '../types';
import type { PackageChange } from './types';

/** Script text and names are cut to this length in a change's message. */
const MAX_TEXT = 80;

const TRUST_TEXT: Readonly<Record<TrustLevel, string>> = {
  none: 'no provenance',
  provenance: 'provenance',
  'trusted-publisher': 'provenance from a trusted publisher',
  staged: 'a staged publish with an approver',
};

/**
 * The change's message with what the registry says about it, e.g. "foo 1.2.3 → 1.2.5 (patch):
 * 1.2.5 adds `postinstall: node setup.js` that 1.2.3 did not have; published 3 h ago by `mallory`;
 * 1.2.3 and the 40 releases before it by `alice`; 1.2.3 had provenance, 1.2.5 has none". Only facts
 * the registry gave are stated: unknown is never described as a change. Names and scripts from the
 * registry are in backticks and cut; formatters escape them further.
 */
export function describeChange(change: PackageChange, history: PackageHistory, now: Date): string {
  const to = change.to === undefined ? undefined : findVersion(history, change.to);
  if (to === undefined || change.kind === 'removed' || change.kind === 'source-changed' || change.kind === 'integrity-changed') return change.message;
  const from = change.from === undefined || change.from === change.to ? undefined : findVersion(history, change.from);
  const parts = [
    scripts(to, from),
    published(to, now),
    from !== undefined && change.kind !== 'downgraded' ? publisherStreak(history, from, to) : undefined,
    from !== undefined ? trust(from, to) : to.provenance === true ? `${to.version} has ${TRUST_TEXT[trustLevel(to)]}` : undefined,
    maintainers(from, to),
    to.deprecated !== undefined ? `${to.version} is deprecated: ${code(to.deprecated)}` : undefined,
  ].filter((part): part is string => part !== undefined && part !== '');
  return parts.length === 0 ? change.message : `${change.message}: ${parts.join('; ')}`;
}

function scripts(to: VersionFacts, from: VersionFacts | undefined): string | undefined {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const hook of INSTALL_HOOKS) {
    const now = to.installScripts?.[hook];
    const before = from?.installScripts?.[hook];
    if (now !== undefined && before === undefined) added.push(`${hook}: ${cut(now)}`);
    else if (now !== undefined && before !== undefined && now !== before) changed.push(`${hook} from ${code(before)} to ${code(now)}`);
    else if (now === undefined && before !== undefined && to.installScripts !== undefined) removed.push(hook);
  }
  const texts: string[] = [];
  if (added.length > 0) {
    const list = added.map(code).join(', ');
    if (from === undefined) texts.push(`${to.version} runs ${list} at install`);
    else if (hasInstallScripts(from) === false) texts.push(`${to.version} adds ${list} that ${from.version} did not have`);
    else if (from.installScripts !== undefined) texts.push(`${to.version} adds ${list}`);
  } else if (from === undefined && to.installScripts === undefined && to.hasInstallScript === true) {
    texts.push(`${to.version} runs an install script`);
  }
  if (changed.length > 0) texts.push(`${to.version} changes ${changed.join(', ')}`);
  if (removed.length > 0) texts.push(`${to.version} drops the ${removed.join(', ')} script${removed.length === 1 ? '' : 's'}`);
  return texts.length === 0 ? undefined : texts.join('; ');
}

function published(to: VersionFacts, now: Date): string | undefined {
  const at = to.publishedAt === undefined ? Number.NaN : Date.parse(to.publishedAt);
  const when = Number.isNaN(at) ? undefined : `published ${formatAge(now.getTime() - at)}`;
  const who = to.publisher === undefined ? undefined : `by ${code(to.publisher)}`;
  if (when === undefined && who === undefined) return undefined;
  return [when ?? 'published', who].filter(Boolean).join(' ');
}

/** "1.2.3 and the 40 releases before it by `alice`", when the new version's publisher is someone else. */
function publisherStreak(history: PackageHistory, from: VersionFacts, to: VersionFacts): string | undefined {
  if (from.publisher === undefined || to.publisher === undefined || from.publisher === to.publisher) return undefined;
  const index = history.versions.findIndex((v) => v.version === from.version);
  let streak = 0;
  for (let i = index - 1; i >= 0 && history.versions[i]?.publisher === from.publisher; i--) streak++;
  const before = streak === 0 ? '' : ` and the ${streak === 1 ? 'release' : `${streak} releases`} before it`;
  return `${from.version}${before} by ${code(from.publisher)}`;
}

function trust(from: VersionFacts, to: VersionFacts): string | undefined {
  // Without `dist` a mirror says nothing about attestations: unknown, not "none".
  if (from.provenance === undefined || to.provenance === undefined) return undefined;
  const before = trustLevel(from);
  const after = trustLevel(to);
  if (before === after) return undefined;
  if (trustRank(after) < trustRank(before)) return `${from.version} had ${TRUST_TEXT[before]}, ${to.version} has ${after === 'none' ? 'none' : TRUST_TEXT[after]}`;
  return `${to.version} has ${TRUST_TEXT[after]} (${from.version}: ${TRUST_TEXT[before]})`;
}

function maintainers(from: VersionFacts | undefined, to: VersionFacts): string | undefined {
  if (from?.maintainers === undefined || to.maintainers === undefined) return undefined;
  const added = to.maintainers.filter((m) => !from.maintainers?.includes(m));
  return added.length === 0 ? undefined : `${to.version} adds maintainer${added.length === 1 ? '' : 's'} ${added.map(code).join(', ')}`;
}

function cut(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_TEXT ? `${oneLine.slice(0, MAX_TEXT - 1)}…` : oneLine;
}

/** A code span that its own text cannot close: backticks inside become `'`. */
function code(text: string): string {
  return `\`${cut(text).replace(/`/g, "'")}\``;
}
