import { installScriptChanged } from '../../../src/core/rules/install-script-changed';
import type { Finding, InstallScripts, VersionFacts } from '../../../src/core/types';
import { DAY, ago, fixture, history, input, policy, ruleTable } from './helpers';

const ADVICE = 'a changed install script is a common way to slip malware into a trusted package.';
const v = (version: string, days: number, installScripts?: InstallScripts): VersionFacts =>
  installScripts === undefined ? { version, publishedAt: ago(days * DAY) } : { version, publishedAt: ago(days * DAY), installScripts };

function finding(version: string, severity: Finding['severity'], message: string, evidence: Finding['evidence'], pkg = 'pkg'): Finding {
  return { rule: 'install-script-changed', severity, package: pkg, version, message, evidence };
}

const changedInPatch = history('pkg', [v('1.0.0', 30, { postinstall: 'node setup.js' }), v('1.0.1', 1, { postinstall: 'node setup.js && node x.js' })]);

ruleTable(installScriptChanged, {
  valid: [
    {
      name: 'the same scripts, declared in another order',
      input: input(history('pkg', [v('1.0.0', 30, { preinstall: 'a', postinstall: 'b' }), v('1.0.1', 1, { postinstall: 'b', preinstall: 'a' })]), '1.0.1'),
    },
    { name: 'only surrounding whitespace differs', input: input(history('pkg', [v('1.0.0', 30, { install: 'node-gyp rebuild' }), v('1.0.1', 1, { install: ' node-gyp rebuild\n' })]), '1.0.1') },
    { name: 'the script is new, not changed (install-script-added reports it)', input: input(history('pkg', [v('1.0.0', 30, {}), v('1.0.1', 1, { postinstall: 'x' })]), '1.0.1') },
    { name: 'the script was removed', input: input(history('pkg', [v('1.0.0', 30, { postinstall: 'x' }), v('1.0.1', 1, {})]), '1.0.1') },
    {
      name: 'abbreviated document: only flags, no commands to compare',
      input: input(history('pkg', [{ version: '1.0.0', hasInstallScript: true }, { version: '1.0.1', hasInstallScript: true }]), '1.0.1'),
    },
    { name: 'no predecessor', input: input(history('pkg', [v('1.0.0', 1, { postinstall: 'x' })]), '1.0.0') },
    { name: 'fixture mirror-style 1.1.0 reorders the scripts keys', input: input(fixture('mirror-style'), '1.1.0') },
    { name: 'fixture native-addon 5.0.1: explicit node-gyp rebuild equals the implied one', input: input(fixture('native-addon'), '5.0.1') },
  ],
  invalid: [
    {
      name: 'a patch release changes the postinstall command',
      input: input(changedInPatch, '1.0.1'),
      expected: [
        finding('1.0.1', 'warning', `pkg@1.0.1 changes the postinstall script since 1.0.0, in a patch release. Read the new command and what it runs before installing, or stay on 1.0.0; ${ADVICE}`, {
          previousVersion: '1.0.0',
          hooks: ['postinstall'],
          postinstall: 'node setup.js && node x.js',
          previousPostinstall: 'node setup.js',
        }),
      ],
    },
    {
      name: 'a hook is added next to an existing one, another removed',
      input: input(history('pkg', [v('1.0.0', 30, { install: 'node-gyp rebuild', preinstall: 'node a.js' }), v('1.1.0', 1, { install: 'node-gyp rebuild', postinstall: 'node b.js' })]), '1.1.0'),
      expected: [
        finding('1.1.0', 'warning', `pkg@1.1.0 changes the preinstall and postinstall scripts since 1.0.0, in a minor release. Read the new command and what it runs before installing, or stay on 1.0.0; ${ADVICE}`, {
          previousVersion: '1.0.0',
          hooks: ['preinstall', 'postinstall'],
          preinstall: null,
          previousPreinstall: 'node a.js',
          postinstall: 'node b.js',
          previousPostinstall: null,
        }),
      ],
    },
    {
      name: 'across a major the change is info',
      input: input(history('pkg', [v('1.0.0', 30, { install: 'node-gyp rebuild' }), v('2.0.0', 1, { install: 'prebuild-install' })]), '2.0.0'),
      expected: [
        finding('2.0.0', 'info', `pkg@2.0.0 changes the install script since 1.0.0, in a new major release. Read the new command and what it runs before installing, or stay on 1.0.0; ${ADVICE}`, {
          previousVersion: '1.0.0',
          hooks: ['install'],
          install: 'prebuild-install',
          previousInstall: 'node-gyp rebuild',
        }),
      ],
    },
    {
      name: 'fixture native-addon 5.1.0 replaces node-gyp rebuild',
      input: input(fixture('native-addon'), '5.1.0'),
      expected: [
        finding(
          '5.1.0',
          'warning',
          `native-addon@5.1.0 changes the install script since 5.0.1, in a minor release. Read the new command and what it runs before installing, or stay on 5.0.1; ${ADVICE}`,
          { previousVersion: '5.0.1', hooks: ['install'], install: 'prebuild-install || node-gyp rebuild', previousInstall: 'node-gyp rebuild' },
          'native-addon',
        ),
      ],
    },
    {
      name: 'approved in allowScripts (info)',
      input: input(changedInPatch, '1.0.1', { policy: policy({ allowScripts: { pkg: true } }) }),
      expected: [
        finding('1.0.1', 'info', 'pkg@1.0.1 changes the postinstall script since 1.0.0, in a patch release. It is approved in allowScripts ("pkg").', {
          previousVersion: '1.0.0',
          hooks: ['postinstall'],
          postinstall: 'node setup.js && node x.js',
          previousPostinstall: 'node setup.js',
          allowScripts: 'pkg',
        }),
      ],
    },
    {
      name: 'denied in allowScripts (error)',
      input: input(changedInPatch, '1.0.1', { policy: policy({ allowScripts: { 'pkg@1.0.1': false } }) }),
      expected: [
        finding('1.0.1', 'error', 'pkg@1.0.1 changes the postinstall script since 1.0.0, in a patch release. It is denied in allowScripts ("pkg@1.0.1"): keep it denied unless you have read the script.', {
          previousVersion: '1.0.0',
          hooks: ['postinstall'],
          postinstall: 'node setup.js && node x.js',
          previousPostinstall: 'node setup.js',
          allowScripts: 'pkg@1.0.1',
        }),
      ],
    },
  ],
});
