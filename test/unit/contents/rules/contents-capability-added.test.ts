import { contentsCapabilityAdded } from '../../../../src/core/contents/rules/contents-capability-added';
import type { Finding } from '../../../../src/core/types';
import { contentsInput, contentsRuleTable, js, manifest, OBFUSCATED, tarball, use } from './helpers';

function finding(severity: Finding['severity'], message: string, evidence: Finding['evidence']): Finding {
  return { rule: 'contents-capability-added', severity, package: 'pkg', version: '1.0.1', message, evidence };
}

const plain = tarball([js('index.js', 400, 'a')]);
const spawnUse = use('child-process', 'child_process', 2);
const withHosts = (hosts: string[]) => ({ code: { capabilities: [], hosts, requires: [] } });

contentsRuleTable(contentsCapabilityAdded, {
  valid: [
    {
      name: 'the previous release already used the capability (in another file: code moved)',
      input: contentsInput(tarball([js('lib/run.js', 400, 'a', undefined, [spawnUse])]), tarball([js('index.js', 500, 'b', undefined, [spawnUse])])),
    },
    {
      name: 'a new capability in a file nothing requires (a test helper)',
      input: contentsInput(plain, tarball([js('index.js', 400, 'a'), js('test/helper.js', 300, 'c', undefined, [spawnUse])])),
    },
    { name: 'the first release: nothing to compare with', input: contentsInput(undefined, tarball([js('index.js', 400, 'a', undefined, [spawnUse])])) },
    {
      name: 'the same network module and hosts as before',
      input: contentsInput(
        tarball([js('index.js', 400, 'a', undefined, [use('network', 'https')], withHosts(['api.example.com']))]),
        tarball([js('index.js', 450, 'b', undefined, [use('network', 'https')], withHosts(['api.example.com']))]),
      ),
    },
  ],
  invalid: [
    {
      name: 'an install script runs a new file that spawns programs and downloads (the setup_bun shape)',
      input: contentsInput(
        plain,
        tarball(
          [js('index.js', 400, 'a'), js('setup_bun.js', 676, 'd', undefined, [use('network', 'https', 2), use('child-process', 'child_process', 3)], withHosts(['github.com']))],
          manifest({ scripts: { preinstall: 'node setup_bun.js' } }),
        ),
      ),
      expected: [
        finding(
          'error',
          'pkg@1.0.1: setup_bun.js, which runs at install time, now talks to the network and runs programs (`https` and `child_process`; host github.com) at line 2, which 1.0.0 never did, in a patch release. ' +
            'npm runs this on every install: read setup_bun.js before installing, or stay on 1.0.0.',
          {
            previousVersion: '1.0.0',
            file: 'setup_bun.js',
            capabilities: ['network', 'child-process'],
            details: ['https', 'child_process'],
            hosts: ['github.com'],
            line: 2,
            excerpt: 'excerpt of https',
            installTime: true,
          },
        ),
      ],
    },
    {
      name: 'the entry point newly reads the whole environment (a warning: not at install time)',
      input: contentsInput(plain, tarball([js('index.js', 600, 'b', undefined, [use('env-enumeration', 'Object.keys(process.env)', 12)])])),
      expected: [
        finding(
          'warning',
          'pkg@1.0.1: index.js, which is reachable from the entry points, now reads the whole environment (`Object.keys(process.env)`) at line 12, which 1.0.0 never did, in a patch release. ' +
            'Read what index.js does with it before upgrading, or stay on 1.0.0.',
          {
            previousVersion: '1.0.0',
            file: 'index.js',
            capabilities: ['env-enumeration'],
            details: ['Object.keys(process.env)'],
            hosts: [],
            line: 12,
            excerpt: 'excerpt of Object.keys(process.env)',
            installTime: false,
          },
        ),
      ],
    },
    {
      name: 'eval in obfuscated code reached through a relative require is an error',
      input: contentsInput(
        plain,
        tarball([js('index.js', 420, 'b', undefined, [], { code: { capabilities: [], hosts: [], requires: ['./lib/x'] } }), js('lib/x.js', 3000, 'e', OBFUSCATED, [use('eval', 'eval', 1)])]),
      ),
      expected: [
        finding(
          'error',
          'pkg@1.0.1: lib/x.js, which is reachable from the entry points, now evaluates code from strings (`eval`) at line 1, which 1.0.0 never did, in a patch release. ' +
            'Read what lib/x.js does with it before upgrading, or stay on 1.0.0.',
          { previousVersion: '1.0.0', file: 'lib/x.js', capabilities: ['eval'], details: ['eval'], hosts: [], line: 1, excerpt: 'excerpt of eval', installTime: false },
        ),
      ],
    },
    {
      name: 'a known network client that starts talking to a new literal host',
      input: contentsInput(
        tarball([js('index.js', 400, 'a', undefined, [use('network', 'https')], withHosts(['api.example.com']))]),
        tarball([js('index.js', 450, 'b', undefined, [use('network', 'https')], withHosts(['api.example.com', 'exfil.example.net']))]),
      ),
      expected: [
        finding(
          'warning',
          'pkg@1.0.1: index.js, which is reachable from the entry points, now talks to the network (host exfil.example.net), which 1.0.0 never did, in a patch release. ' +
            'Read what index.js does with it before upgrading, or stay on 1.0.0.',
          { previousVersion: '1.0.0', file: 'index.js', capabilities: ['network'], details: [], hosts: ['exfil.example.net'], line: null, excerpt: null, installTime: false },
        ),
      ],
    },
  ],
});
