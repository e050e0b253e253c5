import assert from 'node:assert/strict';
import { applyAcceptances, parseAcceptances } from '../../../src/core/review/acceptances';
import type { Acceptance } from '../../../src/core/review/types';
import type { Finding } from '../../../src/core/types';

const NOW = new Date('2025-10-05T12:00:00.000Z');
const FILE = '.dependency-risk.json';

function finding(rule: string, pkg: string, version: string): Finding {
  return { rule, severity: 'error', package: pkg, version, message: `${pkg}@${version} ${rule}`, evidence: {} };
}

function acceptance(pkg: string, rule: string, extra: Partial<Acceptance> = {}): Acceptance {
  return { package: pkg, rule, reason: 'reviewed', file: FILE, ...extra };
}

describe('review/acceptances', () => {
  it('reads accept entries, and reports each unusable one without dropping the others', () => {
    const text = JSON.stringify({
      accept: [
        { package: 'evil-patch@4.1.2', rule: 'install-script-added', reason: 'read bundle.js', expires: '2025-12-31' },
        { package: 'lib', rule: 'downgrade' },
        { package: 'x', rule: 'y', reason: 'z', expires: 'next week' },
        'junk',
        { package: 'safe-lib', rule: 'fresh-release', reason: '  urgent fix  ' },
      ],
    });
    assert.deepStrictEqual(parseAcceptances(FILE, text), {
      acceptances: [
        { package: 'evil-patch@4.1.2', rule: 'install-script-added', reason: 'read bundle.js', expires: '2025-12-31', file: FILE },
        { package: 'safe-lib', rule: 'fresh-release', reason: 'urgent fix', file: FILE },
      ],
      errors: [
        { kind: 'config', file: FILE, message: `${FILE}: accept[1] has no reason; it is not used (an acceptance names the package, the rule and why).` },
        { kind: 'config', file: FILE, message: `${FILE}: accept[2] "expires" is not a date ("next week"); write it as 2025-12-31. It is not used.` },
        { kind: 'config', file: FILE, message: `${FILE}: accept[3] has no package, rule, reason; it is not used (an acceptance names the package, the rule and why).` },
      ],
    });
  });

  it('reports a file that is not a JSON object, and an accept that is not a list', () => {
    assert.deepStrictEqual(parseAcceptances(FILE, '[1'), { acceptances: [], errors: [{ kind: 'config', file: FILE, message: `${FILE} is not a JSON object; its acceptances are not used.` }] });
    assert.deepStrictEqual(parseAcceptances(FILE, '{"accept": {}}'), { acceptances: [], errors: [{ kind: 'config', file: FILE, message: `${FILE}: "accept" must be a list; its acceptances are not used.` }] });
    assert.deepStrictEqual(parseAcceptances(FILE, '{"__proto__": {"accept": []}}'), { acceptances: [], errors: [] });
  });

  it("applies the base revision's live acceptances by rule and by name or name@version", () => {
    const findings = [finding('install-script-added', 'evil', '1.0.1'), finding('fresh-release', 'evil', '1.0.1'), finding('downgrade', 'lib', '2.0.0')];
    const byVersion = acceptance('evil@1.0.1', 'install-script-added');
    const byName = acceptance('lib', 'downgrade');
    const otherVersion = acceptance('evil@1.0.0', 'fresh-release');
    assert.deepStrictEqual(applyAcceptances(findings, [byVersion, byName, otherVersion], [byVersion, byName, otherVersion], NOW), {
      findings: [finding('fresh-release', 'evil', '1.0.1')],
      uses: [
        { ...byVersion, status: 'applied', findings: [findings[0]] },
        { ...byName, status: 'applied', findings: [findings[2]] },
      ],
    });
  });

  it('lists an expired acceptance, which no longer applies (control: one expiring a millisecond later still does)', () => {
    const findings = [finding('downgrade', 'lib', '2.0.0')];
    const expired = acceptance('lib', 'downgrade', { expires: NOW.toISOString() });
    const live = acceptance('lib', 'downgrade', { expires: new Date(NOW.getTime() + 1).toISOString() });
    assert.deepStrictEqual(applyAcceptances(findings, [expired], [expired], NOW), { findings, uses: [{ ...expired, status: 'expired', findings }] });
    assert.deepStrictEqual(applyAcceptances(findings, [live], [live], NOW), { findings: [], uses: [{ ...live, status: 'applied', findings }] });
  });

  it('never lets a change accept its own findings: an acceptance only the head revision has is listed, not applied', () => {
    const findings = [finding('install-script-added', 'evil', '1.0.1')];
    const added = acceptance('evil', 'install-script-added', { reason: 'trust me' });
    assert.deepStrictEqual(applyAcceptances(findings, [], [added], NOW), { findings, uses: [{ ...added, status: 'added', findings }] });
  });
});
