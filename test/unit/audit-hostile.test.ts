/** auditProject on malformed and hostile project files (issue 7): clear errors naming the file, the rest still audited, never an exception or a hang. */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatJson } from '../../src/cli/formatters/json';
import { formatText } from '../../src/cli/formatters/text';
import { auditProject, type AuditOptions } from '../../src/core/audit';
import { buildHistory } from '../../src/core/history';
import type { HistoryResult, HistorySource } from '../../src/core/registry/types';
import type { AuditReport, PackageHistory } from '../../src/core/types';
import { assertNoPollution, prototypeSnapshot } from '../support/property';

const NOW = new Date('2025-10-05T12:00:00.000Z');
const DIR = '/virtual/app';
const FIXTURES = join(__dirname, '..', 'fixtures');
const RISKY_LOCK = readFileSync(join(FIXTURES, 'projects', 'risky-app', 'package-lock.json'), 'utf8');
const RISKY_MANIFEST = readFileSync(join(FIXTURES, 'projects', 'risky-app', 'package.json'), 'utf8');

function fixtureHistory(name: string, text = readFileSync(join(FIXTURES, 'packuments', `${name}.json`), 'utf8')): PackageHistory {
  const built = buildHistory(name, JSON.parse(text));
  if (!built.ok) throw new Error(built.message);
  return built.history;
}

/**
 * Histories from the fixture packuments, without a network: `dep-<n>` is safe-lib under another
 * name (for the 10,000-dependency project); unknown names are not found.
 */
function fixtureSource(extra: Readonly<Record<string, PackageHistory>> = {}): HistorySource & { asked: string[][] } {
  const safeLib = fixtureHistory('safe-lib');
  const asked: string[][] = [];
  return {
    asked,
    async getHistories(names) {
      asked.push([...names]);
      const results = new Map<string, HistoryResult>();
      for (const name of names) {
        let history: PackageHistory | undefined = Object.hasOwn(extra, name) ? extra[name] : undefined;
        if (!history && /^dep-\d+$/.test(name)) history = { ...safeLib, name };
        if (!history) {
          try {
            history = fixtureHistory(name);
          } catch {
            // No fixture: the registry does not know it.
          }
        }
        results.set(name, history ? { status: 'ok', history, from: 'network', fetchedAt: NOW.toISOString(), stale: false } : { status: 'not-found', message: `${name} was not found on the fixture registry.` });
      }
      return results;
    },
  };
}

/** Audits a project held in memory: `files` by name inside DIR. */
async function audit(files: Readonly<Record<string, string>>, extra: Partial<AuditOptions> = {}, source = fixtureSource()): Promise<AuditReport> {
  return auditProject(
    { dir: DIR, now: NOW, env: { npm_config_userconfig: '/virtual/none', HOME: '/virtual/home' }, ...extra },
    { source, readFile: async (path) => (path.startsWith(`${DIR}/`) ? files[path.slice(DIR.length + 1)] : undefined) },
  );
}

const findingsOf = (r: AuditReport) => r.findings.map((f) => `${f.rule} ${f.package}@${f.version}`).sort();
const errorsOf = (r: AuditReport) => r.errors.map((e) => [e.kind, e.file ?? e.package, e.location?.line]);

/** Every report, however bad its input, still formats: JSON parses back, text prints. */
function assertFormats(report: AuditReport): void {
  assert.doesNotThrow(() => JSON.parse(formatJson(report)));
  assert.doesNotThrow(() => formatText(report, { color: false }));
}

describe('auditProject: malformed package.json (issue 7)', () => {
  const prototypes = prototypeSnapshot();
  after(() => assertNoPollution(prototypes));
  const deps = '"evil-patch": "4.1.2", "safe-lib": "^1.0.0"';
  let control: AuditReport;
  before(async () => {
    control = await audit({ 'package.json': `{"dependencies": {${deps}}}` });
  });

  it('has findings to compare against (control)', () => {
    assert.deepStrictEqual(findingsOf(control), ['fresh-release evil-patch@4.1.2', 'install-script-added evil-patch@4.1.2']);
    assert.deepStrictEqual(control.errors, []);
  });

  it('reads comments, trailing commas, a BOM and CRLF line endings without an error, locating findings in that text', async () => {
    const text = `\uFEFF{\r\n  // pinned on purpose\r\n  "dependencies": {\r\n    /* risky */ "evil-patch": "4.1.2",\r\n    "safe-lib": "^1.0.0",\r\n  },\r\n}\r\n`;
    const report = await audit({ 'package.json': text });
    assert.deepStrictEqual([findingsOf(report), report.errors], [findingsOf(control), []]);
    const location = report.findings[0]?.location;
    assert.equal(location && text.slice(location.offset, location.offset + location.length), '"4.1.2"');
    assert.equal(location?.line, 4);
  });

  it('names a duplicate key with its line and audits the last value, as npm does', async () => {
    const report = await audit({ 'package.json': `{"dependencies": {\n"evil-patch": "4.1.1",\n"evil-patch": "4.1.2", "safe-lib": "^1.0.0"}}` });
    assert.deepStrictEqual(findingsOf(report), findingsOf(control));
    assert.deepStrictEqual(errorsOf(report), [['parse', 'package.json', 3]]);
    assert.equal(report.errors[0]?.message, 'package.json: "evil-patch" appears twice; npm uses the last one.');
  });

  it('names every non-string version and audits the rest', async () => {
    const report = await audit({ 'package.json': `{"dependencies": {${deps}, "a": 1, "b": null, "c": {"x": 1}, "d": ["1"], "e": true}}` });
    assert.deepStrictEqual(findingsOf(report), findingsOf(control));
    assert.deepStrictEqual(report.errors.map((e) => e.message), ['number', 'null', 'object', 'array', 'boolean'].map((type, i) => `package.json: the version of "${'abcde'[i]}" in dependencies must be a string; found ${type}.`));
  });

  it('reports invalid JSON while the user types, and audits what was already written', async () => {
    const report = await audit({ 'package.json': `{"dependencies": {\n  "evil-patch": "4.1.2",\n  "safe-lib": "^1.` });
    assert.deepStrictEqual(findingsOf(report), findingsOf(control).filter((f) => f.includes('evil-patch')));
    assert.ok(report.errors.length > 0);
    for (const e of report.errors) assert.match(e.message, /^package\.json is not valid JSON: .+ at line 3\.$/);
  });

  it('reports a package.json nested too deeply to parse, instead of throwing', async () => {
    const report = await audit({ 'package.json': `{"dependencies": {${deps}}, "config": ${'['.repeat(100_000)}` });
    assert.deepStrictEqual(findingsOf(report), []);
    assert.match(report.errors[0]?.message ?? '', /^package\.json is nested too deeply to read \(.+\); none of its dependencies were read\.$/);
    assertFormats(report);
  });

  it('audits a lockfile project whose package.json is nested past the formatter’s limit, with fixes on, and offers no override edit', async () => {
    const deep = RISKY_MANIFEST.replace('"private": true,', `"private": true, "config": ${'['.repeat(120)}${']'.repeat(120)},`).replace(/\n\s*/g, '');
    const report = await audit({ 'package.json': deep, 'package-lock.json': RISKY_LOCK }, { fix: true });
    assert.ok(findingsOf(report).includes('install-script-added evil-patch@4.1.2'), 'the transitive finding is still there');
    assert.equal(report.fixes.some((f) => f.kind === 'override'), false);
    const normal = await audit({ 'package.json': RISKY_MANIFEST, 'package-lock.json': RISKY_LOCK }, { fix: true });
    assert.equal(normal.fixes.some((f) => f.kind === 'override' && f.package === 'evil-patch'), true, 'control: the same project offers the override');
  });

  it('reads a range named like an Object.prototype member as no dist-tag, instead of throwing', async () => {
    const report = await audit({ 'package.json': `{"dependencies": {"safe-lib": "constructor", "evil-patch": "toString"}}` });
    assert.deepStrictEqual(report.errors.map((e) => e.message).sort(), ['evil-patch: no published version of evil-patch satisfies "toString".', 'safe-lib: no published version of safe-lib satisfies "constructor".']);
    assertFormats(report);
  });

  it('takes prototype keys and a lone surrogate as dependency names without polluting anything', async () => {
    const report = await audit({ 'package.json': `{"dependencies": {${deps}, "__proto__": "1.0.0", "constructor": "1.0.0", "\\ud800": "1.0.0"}, "allowScripts": {"__proto__": true}}` });
    assert.deepStrictEqual(findingsOf(report), findingsOf(control));
    assert.ok(report.errors.every((e) => e.package !== undefined), JSON.stringify(report.errors));
    assert.deepStrictEqual(Object.keys((JSON.parse(formatJson(report)) as { policy: { allowScripts: object } }).policy.allowScripts), ['__proto__']);
  });

  it('audits 10,000 dependencies without a hang (the figure is in the README’s Reliability table)', async function () {
    this.timeout(30_000);
    const many = Array.from({ length: 10_000 }, (_, i) => `"dep-${i}": "^1.0.0"`).join(',\n    ');
    const source = fixtureSource();
    const start = performance.now();
    const report = await audit({ 'package.json': `{\n  "dependencies": {\n    ${many}\n  }\n}\n` }, {}, source);
    const ms = performance.now() - start;
    assert.deepStrictEqual([report.packages.length, report.errors, source.asked.length], [10_000, [], 1]);
    assert.ok(ms < 10_000, `${Math.round(ms)} ms`);
    assertFormats(report);
  });
});

describe('auditProject: malformed and hostile lockfiles (issue 7)', () => {
  const prototypes = prototypeSnapshot();
  after(() => assertNoPollution(prototypes));
  let control: AuditReport;
  before(async () => {
    control = await audit({ 'package.json': RISKY_MANIFEST, 'package-lock.json': RISKY_LOCK });
  });

  it('has findings to compare against (control)', () => {
    assert.ok(findingsOf(control).includes('install-script-added evil-patch@4.1.2'));
    assert.deepStrictEqual(control.errors, []);
  });

  it('reads both sides of a merge conflict, names the lockfile and the marker line, and audits both versions', async () => {
    const text = RISKY_LOCK.replace('      "version": "4.1.2",\n', '<<<<<<< HEAD\n      "version": "4.1.2",\n=======\n      "version": "4.1.1",\n>>>>>>> upgrade\n');
    const report = await audit({ 'package.json': RISKY_MANIFEST, 'package-lock.json': text });
    assert.deepStrictEqual(errorsOf(report), [['parse', 'package-lock.json', text.split('\n').indexOf('<<<<<<< HEAD') + 1]]);
    assert.match(report.errors[0]?.message ?? '', /^package-lock\.json contains git merge-conflict markers; both sides were read\./);
    assert.deepStrictEqual(report.packages.filter((p) => p.name === 'evil-patch').map((p) => p.version), ['4.1.1', '4.1.2']);
    assert.deepStrictEqual(findingsOf(report).filter((f) => !f.includes('evil-patch@4.1.1')), findingsOf(control));
  });

  it('audits what a truncated lockfile holds before the cut and says it looks truncated', async () => {
    const text = RISKY_LOCK.slice(0, RISKY_LOCK.indexOf('"node_modules/lost-provenance"'));
    const report = await audit({ 'package.json': RISKY_MANIFEST, 'package-lock.json': text });
    assert.match(report.errors[0]?.message ?? '', /^package-lock\.json ends unexpectedly at line \d+, column \d+: it looks truncated\./);
    assert.ok(findingsOf(report).includes('install-script-added evil-patch@4.1.2'));
    assertFormats(report);
  });

  it('reads an unknown lockfileVersion best-effort, says which versions it knows, and audits the packages', async () => {
    const report = await audit({ 'package.json': RISKY_MANIFEST, 'package-lock.json': RISKY_LOCK.replace('"lockfileVersion": 3', '"lockfileVersion": 99') });
    assert.deepStrictEqual(errorsOf(report), [['parse', 'package-lock.json', 4]]);
    assert.match(report.errors[0]?.message ?? '', /lockfileVersion 99, which this version of Dependency Risk does not know \(it reads 1, 2 and 3\)/);
    assert.deepStrictEqual(findingsOf(report), findingsOf(control));
  });

  it('skips entries with odd names, each named with its line, and audits the rest without polluting anything', async () => {
    const odd = [
      '"node_modules/../../x": { "version": "1.0.0" },',
      '"__proto__": { "version": "1.0.0", "polluted": true },',
      '"node_modules/__proto__": { "version": "1.0.0", "polluted": true },',
      '"node_modules/constructor": { "version": "1.0.0" },',
      `"node_modules/${'a'.repeat(50_000)}": { "version": "1.0.0" },`,
      '"node_modules/ünïcödé": { "version": "1.0.0" },',
      '"node_modules/\\ud800": { "version": "1.0.0" },',
      '"node_modules/x\\u202eexe.js": { "version": "1.0.0" },',
    ];
    const text = RISKY_LOCK.replace('"packages": {\n', `"packages": {\n${odd.map((line) => `    ${line}\n`).join('')}`);
    const report = await audit({ 'package.json': RISKY_MANIFEST, 'package-lock.json': text });
    const lockErrors = report.errors.filter((e) => e.kind === 'parse');
    assert.deepStrictEqual(lockErrors.map((e) => [e.file, e.location?.line]), [7, 9, 11, 12, 13, 14, 8].map((line) => ['package-lock.json', line]));
    for (const e of lockErrors) assert.match(e.message, /^package-lock\.json entry "/);
    // `constructor` is a valid name: it is looked up (and not found), like any other package.
    assert.deepStrictEqual(report.errors.filter((e) => e.kind !== 'parse').map((e) => [e.kind, e.package]), [['not-found', 'constructor']]);
    assert.deepStrictEqual(findingsOf(report), findingsOf(control));
    assert.equal(/[\ud800-\udfff]/.test(lockErrors.map((e) => e.message).join('').replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')), false, 'messages stay well-formed');
    assertFormats(report);
  });
});

describe('auditProject: __proto__ keys in a packument, end to end (issue 7)', () => {
  const prototypes = prototypeSnapshot();
  after(() => assertNoPollution(prototypes));

  it('audits a package whose packument carries __proto__ and constructor keys everywhere, and pollutes nothing', async () => {
    const evil = readFileSync(join(FIXTURES, 'packuments', 'evil-patch.json'), 'utf8')
      .replace('"dist-tags": {', '"dist-tags": {"__proto__": {"polluted": true}, "constructor": "4.1.0", ')
      .replace('"time": {', '"time": {"__proto__": {"polluted": true}, ')
      .replace('"versions": {', '"versions": {"__proto__": {"polluted": true, "_id": "x"}, "constructor": {"_id": "y"}, ');
    const history = fixtureHistory('evil-patch', evil);
    const report = await audit({ 'package.json': '{"dependencies": {"evil-patch": "4.1.2"}}' }, {}, fixtureSource({ 'evil-patch': history }));
    assert.deepStrictEqual(findingsOf(report), ['fresh-release evil-patch@4.1.2', 'install-script-added evil-patch@4.1.2']);
    assert.deepStrictEqual(history.versions.map((v) => v.version), ['4.1.0', '4.1.1', '4.1.2']);
    assertFormats(report);
  });
});
