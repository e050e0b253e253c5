import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBotPolicy, renovateDays } from '../../src/core/bot-policy';
import { auditProject } from '../../src/core/audit';

const read = (path: string) => readFile(path, 'utf8').catch(() => undefined);

describe('readBotPolicy', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dr-bots-'));
    mkdirSync(join(dir, '.github'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads Renovate durations in days', () => {
    assert.deepStrictEqual(['3 days', '1 week', '12 hours', '90 minutes', '2d', 'soon', 3].map(renovateDays), [3, 7, 0.5, 0.0625, 2, undefined, undefined]);
  });

  it("reads Renovate's minimumReleaseAge, the npm manager's first, from renovate.json with comments", async () => {
    writeFileSync(join(dir, 'renovate.json'), '{ // bots\n "minimumReleaseAge": "3 days", "npm": { "minimumReleaseAge": "5 days" }, }');
    assert.deepStrictEqual(await readBotPolicy(dir, read), { value: 5, origin: 'renovate.json minimumReleaseAge (Renovate)' });
  });

  it("reads Dependabot's cooldown for the npm ecosystem only", async () => {
    writeFileSync(
      join(dir, '.github', 'dependabot.yml'),
      'version: 2\nupdates:\n  - package-ecosystem: pip\n    cooldown:\n      default-days: 30\n  - package-ecosystem: npm\n    cooldown:\n      default-days: 4\n',
    );
    assert.deepStrictEqual(await readBotPolicy(dir, read), { value: 4, origin: '.github/dependabot.yml cooldown.default-days (Dependabot)' });
  });

  it('reads nothing when no bot is configured (control)', async () => {
    assert.equal(await readBotPolicy(dir, read), undefined);
  });

  it("applies only when the package manager sets no age: npm's .npmrc wins over Renovate", async () => {
    writeFileSync(join(dir, 'package.json'), '{"name": "x"}');
    writeFileSync(join(dir, '.github', 'renovate.json'), '{"minimumReleaseAge": "14 days"}');
    const options = { dir, now: new Date('2025-10-05T12:00:00Z'), offline: true, env: { npm_config_userconfig: join(dir, 'none') }, cacheDir: join(dir, 'cache') };
    const fromBot = await auditProject(options);
    assert.deepStrictEqual([fromBot.policy.minReleaseAgeDays, fromBot.policy.origins.minReleaseAgeDays, fromBot.policy.ageGate], [14, '.github/renovate.json minimumReleaseAge (Renovate)', undefined]);
    writeFileSync(join(dir, '.npmrc'), 'min-release-age=2\n');
    const fromNpm = await auditProject(options);
    assert.deepStrictEqual([fromNpm.policy.minReleaseAgeDays, fromNpm.policy.ageGate], [2, 'npm will not install it (min-release-age)']);
  });
});
