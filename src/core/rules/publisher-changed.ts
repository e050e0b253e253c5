/** Flags a version published by an account that published none of the package's earlier versions. */

import { formatList } from '../format';
import type { PackageHistory, Rule } from '../types';

/** How many earlier releases the evidence draws previous publishers from. */
const RECENT = 5;

/**
 * Where each account (publisher or approver) first appears in publish order, and the first version
 * with any: "published an earlier version" is then one lookup, not a pass over every earlier version
 * for every locked package (histories are read-only, so the answer is kept per history).
 */
const firstPublishesOf = new WeakMap<PackageHistory, { byAccount: Map<string, number>; any: number }>();

function firstPublishes(history: PackageHistory): { byAccount: Map<string, number>; any: number } {
  let found = firstPublishesOf.get(history);
  if (found === undefined) {
    const byAccount = new Map<string, number>();
    history.versions.forEach((v, i) => {
      for (const account of [v.publisher, v.approver]) if (account !== undefined && !byAccount.has(account)) byAccount.set(account, i);
    });
    found = { byAccount, any: Math.min(Infinity, ...byAccount.values()) };
    firstPublishesOf.set(history, found);
  }
  return found;
}

export const publisherChanged: Rule = {
  meta: {
    id: 'publisher-changed',
    defaultSeverity: 'warning',
    description: 'Published by an account that never published an earlier version of the package.',
  },
  check: ({ history, version }) => {
    // Mirrors strip `_npmUser`: without publisher data we cannot tell, so we say nothing.
    if (!history.hasPublisherData) return [];
    const index = history.versions.findIndex((v) => v.version === version);
    const facts = history.versions[index];
    if (facts?.publisher === undefined) return [];
    // Trusted publishing names a CI identity, not an account; a move to it is judged by provenance-dropped.
    if (facts.trustedPublisher !== undefined) return [];
    const first = firstPublishes(history);
    const publishedBefore = (account: string | undefined) => account !== undefined && (first.byAccount.get(account) ?? Infinity) < index;
    if (first.any >= index) return [];
    if (publishedBefore(facts.publisher) || publishedBefore(facts.approver)) return [];

    const earlier = history.versions.slice(0, index);
    const recent = [...new Set(earlier.slice(-RECENT).reverse().flatMap((v) => (v.publisher === undefined ? [] : [v.publisher])))];
    const count = earlier.length;
    const who = JSON.stringify(facts.publisher);
    // A listed maintainer's first publish is common and less alarming than an account new to the package.
    const listedBefore = [...earlier].reverse().find((v) => v.maintainers !== undefined)?.maintainers?.includes(facts.publisher) === true;
    return [
      {
        rule: 'publisher-changed',
        severity: listedBefore ? 'info' : 'warning',
        package: history.name,
        version,
        message:
          `${history.name}@${version} was published by ${who}, who ${count === 1 ? 'did not publish its only earlier version' : `published none of its ${count} earlier versions`} ` +
          `(recent publishers: ${formatList(recent)})${listedBefore ? `; ${who} was already a listed maintainer` : ''}. ` +
          'A new publisher can mean a hijacked account or token: check the release against the repository and its announcements before installing it.',
        evidence: { publisher: facts.publisher, previousPublishers: recent, listedMaintainer: listedBefore },
      },
    ];
  },
};
