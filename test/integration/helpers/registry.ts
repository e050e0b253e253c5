/** Starts a fixture registry inside the extension host whose packuments are as old, against the real clock, as they are against the fixtures' own. */

import { join } from 'node:path';
import { startFixtureRegistry, type FixtureRegistry } from '../../support/fixture-registry';
import { PACKUMENT_FIXTURE_NOW, readShiftedPackuments, shiftTime } from '../../support/shift-packument-times';

/**
 * How far before the suite's start the fixtures' "now" is placed. The extension reads the real clock,
 * and messages round ages down ("3 h ago"), so a fixture age just short of a whole hour
 * (mirror-style 1.1.0 is 123 ms short of 6 h) would read differently depending on how fast the
 * editor was. One minute back puts every age safely past its own boundary: ages read as in the
 * fixtures' README, plus one minute and the time the run took, for the next 59 minutes.
 */
const LEAD_MS = 60_000;

export interface EditorRegistry {
  readonly registry: FixtureRegistry;
  /** A time written in the fixtures (`2025-10-04T12:00:00.000Z`), as it is served. */
  served(fixtureTime: string): string;
}

/**
 * Serves every packument in test/fixtures/packuments on 127.0.0.1, shifted to the real clock. Close
 * it in `after`. Suites run it in the extension host; UI scripts in the runner, naming `fixtures`.
 */
export async function startEditorRegistry(fixtures = fixturesDir()): Promise<EditorRegistry> {
  const dir = join(fixtures, 'packuments');
  const to = new Date(Date.now() - LEAD_MS);
  const delta = to.getTime() - PACKUMENT_FIXTURE_NOW.getTime();
  const registry = await startFixtureRegistry({ dir, documents: readShiftedPackuments(dir, PACKUMENT_FIXTURE_NOW, to) });
  return {
    registry,
    served: (fixtureTime) => {
      const shifted = shiftTime(fixtureTime, delta);
      if (shifted === undefined) throw new Error(`not a time: ${fixtureTime}`);
      return shifted;
    },
  };
}

/** test/fixtures in the repository (the runner passes it; suites run from a bundle elsewhere). */
export function fixturesDir(): string {
  const dir = process.env.DR_FIXTURES_DIR;
  if (!dir) throw new Error('DR_FIXTURES_DIR is not set: run the suites with test/integration/run.mjs');
  return dir;
}
