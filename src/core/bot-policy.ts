/** Reads the waiting period of the repository's update bots: Renovate's `minimumReleaseAge` and Dependabot's `cooldown`. */

import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import type { Sourced } from './lockfile/types';

const RENOVATE_FILES = ['renovate.json', 'renovate.json5', '.github/renovate.json', '.github/renovate.json5', '.gitlab/renovate.json', '.renovaterc', '.renovaterc.json'];
const DEPENDABOT_FILES = ['.github/dependabot.yml', '.github/dependabot.yaml'];

const UNIT_DAYS: Readonly<Record<string, number>> = { d: 1, day: 1, days: 1, w: 7, week: 7, weeks: 7, h: 1 / 24, hour: 1 / 24, hours: 1 / 24, m: 1 / 1440, min: 1 / 1440, mins: 1 / 1440, minute: 1 / 1440, minutes: 1 / 1440 };

/** Renovate's duration strings (`3 days`, `12 hours`, `1 week`) in days; undefined when unreadable. */
export function renovateDays(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(value);
  const factor = match ? UNIT_DAYS[match[2].toLowerCase()] : undefined;
  return match && factor !== undefined ? Number(match[1]) * factor : undefined;
}

/**
 * The bots' waiting period for npm updates, in days: Renovate's top-level `minimumReleaseAge` (or
 * the npm manager's), else Dependabot's `cooldown.default-days` for the `npm` ecosystem. Undefined
 * when the repository configures neither. Used only when the package manager sets no age itself,
 * so that the editor and the bots agree on what is too fresh.
 */
export async function readBotPolicy(root: string, readText: (path: string) => Promise<string | undefined>): Promise<Sourced<number> | undefined> {
  for (const name of RENOVATE_FILES) {
    const text = await readText(join(root, name));
    if (text === undefined) continue;
    const config: unknown = parseJsonc(text, [], { allowTrailingComma: true });
    if (!config || typeof config !== 'object') continue;
    const record = config as Record<string, unknown>;
    const npm = record.npm && typeof record.npm === 'object' ? (record.npm as Record<string, unknown>) : undefined;
    const days = renovateDays(npm?.minimumReleaseAge) ?? renovateDays(record.minimumReleaseAge);
    if (days !== undefined) return { value: days, origin: `${name} minimumReleaseAge (Renovate)` };
  }
  for (const name of DEPENDABOT_FILES) {
    const text = await readText(join(root, name));
    if (text === undefined) continue;
    const { parseDocument } = await (await import('./lockfile/load-parsers')).loadParsers();
    const doc: unknown = parseDocument(text).toJS({ maxAliasCount: 100 });
    const updates = doc && typeof doc === 'object' ? (doc as Record<string, unknown>).updates : undefined;
    if (!Array.isArray(updates)) continue;
    for (const update of updates) {
      if (!update || typeof update !== 'object') continue;
      const entry = update as Record<string, unknown>;
      const cooldown = entry.cooldown && typeof entry.cooldown === 'object' ? (entry.cooldown as Record<string, unknown>) : undefined;
      const days = cooldown?.['default-days'];
      if (entry['package-ecosystem'] === 'npm' && typeof days === 'number' && days >= 0) {
        return { value: days, origin: `${name} cooldown.default-days (Dependabot)` };
      }
    }
  }
  return undefined;
}
