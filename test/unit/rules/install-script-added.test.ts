import { installScriptAdded } from '../../../src/core/rules/install-script-added';
import type { Finding, VersionFacts } from '../../../src/core/types';
import { DAY, ago, fixture, history, input, policy, ruleTable } from './helpers';

const RISK = 'npm runs it on every install, which is how most hijacked releases steal credentials: read the script before installing, or stay on';
const none = (version: string, days: number): VersionFacts => ({ version, publishedAt: ago(days * DAY), installScripts: {} });
const post = (version: string, days: number, postinstall = 'node setup.js'): VersionFacts => ({ version, publishedAt: ago(days * DAY), installScripts: { postinstall } });

function finding(version: string, severity: Finding['severity'], message: string, evidence: Finding['evidence'], pkg = 'pkg'): Finding {
  return { rule: 'install-script-added', severity, package: pkg, version, message, evidence };
}

const patchAdds = history('pkg', [none('1.0.0', 90), none('1.0.1', 30), post('1.0.2', 1)]);

ruleTable(installScriptAdded, {
  valid: [
    { name: 'the previous release had the same script', input: input(history('pkg', [post('1.0.0', 30), post('1.0.1', 1)]), '1.0.1') },
    { name: 'no install-time script (only `test`, `prepare` and the like)', input: input(history('pkg', [none('1.0.0', 30), none('1.0.1', 1)]), '1.0.1') },
    {
      name: 'the previous release is from an abbreviated document that says it had a script',
      input: input(history('pkg', [{ version: '1.0.0', hasInstallScript: true }, post('1.0.1', 1)]), '1.0.1'),
    },
    {
      name: 'the previous release has no script data at all: unknown, so quiet',
      input: input(history('pkg', [{ version: '1.0.0' }, post('1.0.1', 1)]), '1.0.1'),
    },
    { name: 'version not in the registry', input: input(patchAdds, '9.9.9') },
    { name: 'fixture native-addon 5.0.1 makes the implied node-gyp rebuild explicit', input: input(fixture('native-addon'), '5.0.1') },
    { name: 'fixture mirror-style 1.1.0 keeps the postinstall of 1.0.0', input: input(fixture('mirror-style'), '1.1.0') },
    { name: 'fixture safe-lib 1.2.0 has only a test script', input: input(fixture('safe-lib'), '1.2.0') },
  ],
  invalid: [
    {
      name: 'a patch release adds a postinstall',
      input: input(patchAdds, '1.0.2'),
      expected: [
        finding('1.0.2', 'error', `pkg@1.0.2 adds a postinstall script ("node setup.js") that 1.0.1 did not have, in a patch release. ${RISK} 1.0.1.`, {
          previousVersion: '1.0.1',
          hooks: ['postinstall'],
          postinstall: 'node setup.js',
        }),
      ],
    },
    {
      name: 'fixture evil-patch 4.1.2 (the 2025 pattern)',
      input: input(fixture('evil-patch'), '4.1.2'),
      expected: [
        finding(
          '4.1.2',
          'error',
          `evil-patch@4.1.2 adds a postinstall script ("node bundle.js") that 4.1.1 did not have, in a patch release. ${RISK} 4.1.1.`,
          { previousVersion: '4.1.1', hooks: ['postinstall'], postinstall: 'node bundle.js' },
          'evil-patch',
        ),
      ],
    },
    {
      name: 'a minor release adds two hooks; a prerelease in between is not the predecessor',
      input: input(
        history('pkg', [
          none('1.1.0', 60),
          { version: '1.2.0-beta.1', publishedAt: ago(20 * DAY), installScripts: { preinstall: 'node a.js' } },
          { version: '1.2.0', publishedAt: ago(1 * DAY), installScripts: { preinstall: 'node a.js', postinstall: 'node b.js' } },
        ]),
        '1.2.0',
      ),
      expected: [
        finding(
          '1.2.0',
          'error',
          `pkg@1.2.0 adds preinstall and postinstall scripts (preinstall: "node a.js", postinstall: "node b.js") that 1.1.0 did not have, in a minor release. ${RISK} 1.1.0.`,
          { previousVersion: '1.1.0', hooks: ['preinstall', 'postinstall'], preinstall: 'node a.js', postinstall: 'node b.js' },
        ),
      ],
    },
    {
      name: 'a backport is compared with its own line, not the newer major published before it',
      input: input(history('pkg', [none('1.2.3', 90), post('2.0.0', 60), post('1.2.4', 1)]), '1.2.4'),
      expected: [
        finding('1.2.4', 'error', `pkg@1.2.4 adds a postinstall script ("node setup.js") that 1.2.3 did not have, in a patch release. ${RISK} 1.2.3.`, {
          previousVersion: '1.2.3',
          hooks: ['postinstall'],
          postinstall: 'node setup.js',
        }),
      ],
    },
    {
      name: 'fixture native-addon 5.0.0: gypfile implies node-gyp rebuild, in a new major (warning)',
      input: input(fixture('native-addon'), '5.0.0'),
      expected: [
        finding(
          '5.0.0',
          'warning',
          `native-addon@5.0.0 adds an install script ("node-gyp rebuild") that 4.2.0 did not have, in a new major release. ${RISK} 4.2.0.`,
          { previousVersion: '4.2.0', hooks: ['install'], install: 'node-gyp rebuild' },
          'native-addon',
        ),
      ],
    },
    {
      name: 'a new 0.x minor is a new release line (warning)',
      input: input(history('pkg', [none('0.2.5', 30), post('0.3.0', 1)]), '0.3.0'),
      expected: [
        finding('0.3.0', 'warning', `pkg@0.3.0 adds a postinstall script ("node setup.js") that 0.2.5 did not have, in a new 0.3.x release line. ${RISK} 0.2.5.`, {
          previousVersion: '0.2.5',
          hooks: ['postinstall'],
          postinstall: 'node setup.js',
        }),
      ],
    },
    {
      name: 'the first release already has a script (info)',
      input: input(history('pkg', [post('1.0.0', 1)]), '1.0.0'),
      expected: [
        finding(
          '1.0.0',
          'info',
          'pkg@1.0.0 runs a postinstall script ("node setup.js"), and there is no earlier release to compare it with. npm runs it on every install: read it before installing.',
          { previousVersion: null, hooks: ['postinstall'], postinstall: 'node setup.js' },
        ),
      ],
    },
    {
      name: 'abbreviated document: only hasInstallScript flags are known',
      input: input(history('pkg', [{ version: '1.0.0', hasInstallScript: false }, { version: '1.0.1', hasInstallScript: true }]), '1.0.1'),
      expected: [
        finding('1.0.1', 'error', `pkg@1.0.1 adds an install script that 1.0.0 did not have, in a patch release. ${RISK} 1.0.0.`, {
          previousVersion: '1.0.0',
          hooks: [],
        }),
      ],
    },
    {
      name: 'approved in allowScripts by exact version (info)',
      input: input(patchAdds, '1.0.2', { policy: policy({ allowScripts: { 'pkg@1.0.2': true } }) }),
      expected: [
        finding('1.0.2', 'info', 'pkg@1.0.2 adds a postinstall script ("node setup.js") that 1.0.1 did not have, in a patch release. It is approved in allowScripts ("pkg@1.0.2").', {
          previousVersion: '1.0.1',
          hooks: ['postinstall'],
          postinstall: 'node setup.js',
          allowScripts: 'pkg@1.0.2',
        }),
      ],
    },
    {
      name: 'approved in allowScripts by range (info)',
      input: input(patchAdds, '1.0.2', { policy: policy({ allowScripts: { 'pkg@^1.0.0': true, 'other': false } }) }),
      expected: [
        finding('1.0.2', 'info', 'pkg@1.0.2 adds a postinstall script ("node setup.js") that 1.0.1 did not have, in a patch release. It is approved in allowScripts ("pkg@^1.0.0").', {
          previousVersion: '1.0.1',
          hooks: ['postinstall'],
          postinstall: 'node setup.js',
          allowScripts: 'pkg@^1.0.0',
        }),
      ],
    },
    {
      name: 'a denial wins over a pinned approval (error)',
      input: input(patchAdds, '1.0.2', { policy: policy({ allowScripts: { 'pkg@1.0.2': true, pkg: false } }) }),
      expected: [
        finding(
          '1.0.2',
          'error',
          'pkg@1.0.2 adds a postinstall script ("node setup.js") that 1.0.1 did not have, in a patch release. ' +
            'It is denied in allowScripts ("pkg"): keep it denied unless you have read the script, and expect the package to fail if it needs it.',
          { previousVersion: '1.0.1', hooks: ['postinstall'], postinstall: 'node setup.js', allowScripts: 'pkg' },
        ),
      ],
    },
    {
      name: 'an approval for another version range does not apply',
      input: input(patchAdds, '1.0.2', { policy: policy({ allowScripts: { 'pkg@^2.0.0': true, 'pkg-extra': true } }) }),
      expected: [
        finding('1.0.2', 'error', `pkg@1.0.2 adds a postinstall script ("node setup.js") that 1.0.1 did not have, in a patch release. ${RISK} 1.0.1.`, {
          previousVersion: '1.0.1',
          hooks: ['postinstall'],
          postinstall: 'node setup.js',
        }),
      ],
    },
  ],
});
