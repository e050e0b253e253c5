import { installScriptTarget } from '../../../../src/core/contents/rules/install-script-target';
import type { Finding } from '../../../../src/core/types';
import { contentsInput, contentsRuleTable, file, js, manifest, MINIFIED, tarball, use } from './helpers';

function finding(severity: Finding['severity'], message: string, evidence: Finding['evidence']): Finding {
  return { rule: 'install-script-target', severity, package: 'pkg', version: '1.0.1', message, evidence };
}

const gyp = file('binding.gyp', 120, 'gyp');
const post = (command: string) => manifest({ scripts: { postinstall: command } });
const evidence = (extra: Partial<Finding['evidence']>): Finding['evidence'] => ({
  previousVersion: '1.0.0',
  hook: 'postinstall',
  command: 'node bundle.js',
  previousCommand: null,
  file: 'bundle.js',
  fileStatus: 'new',
  size: null,
  shape: null,
  uses: [],
  hosts: [],
  requires: [],
  ...extra,
});

contentsRuleTable(installScriptTarget, {
  valid: [
    { name: 'a native addon whose implicit node-gyp rebuild did not change', input: contentsInput(tarball([gyp, js('index.js', 70, 'a')]), tarball([gyp, js('index.js', 260, 'b')])) },
    {
      name: 'the same postinstall running the same file',
      input: contentsInput(tarball([js('install.js', 900, 'i')], post('node install.js')), tarball([js('install.js', 900, 'i'), js('index.js', 10, 'x')], post('node install.js'))),
    },
    { name: 'no install scripts', input: contentsInput(tarball([js('index.js', 70, 'a')]), tarball([js('index.js', 80, 'b')])) },
  ],
  invalid: [
    {
      name: 'a binary fetcher that always downloaded and spawned, updated under the same script: info (vsce-sign 2.1.0)',
      input: contentsInput(
        tarball([js('src/postinstall.js', 7000, 'p', undefined, [use('network', 'https'), use('child-process', 'child_process')])], post('node ./src/postinstall.js')),
        tarball([js('src/postinstall.js', 7400, 'q', undefined, [use('network', 'https'), use('child-process', 'child_process'), use('network', 'fetch')])], post('node ./src/postinstall.js')),
      ),
      expected: [
        finding(
          'info',
          "pkg@1.0.1's postinstall script (unchanged: \"node ./src/postinstall.js\") runs src/postinstall.js: changed since the previous release, 7.2 KB; not minified or obfuscated; uses `https`, `child_process` and `fetch`. npm runs it on every install.",
          evidence({ command: 'node ./src/postinstall.js', previousCommand: 'node ./src/postinstall.js', file: 'src/postinstall.js', fileStatus: 'changed', size: 7400, shape: 'plain', uses: ['https', 'child_process', 'fetch'] }),
        ),
      ],
    },
    {
      name: 'the same script running an updated file that newly spawns programs: error',
      input: contentsInput(
        tarball([js('install.js', 900, 'i', undefined, [use('network', 'https')])], post('node install.js')),
        tarball([js('install.js', 1200, 'j', undefined, [use('network', 'https'), use('child-process', 'child_process')])], post('node install.js')),
      ),
      expected: [
        finding(
          'error',
          "pkg@1.0.1's postinstall script (unchanged: \"node install.js\") runs install.js: changed since the previous release, 1.2 KB; not minified or obfuscated; uses `https` and `child_process`. npm runs it on every install: read install.js before installing, or stay on 1.0.0.",
          evidence({ command: 'node install.js', previousCommand: 'node install.js', file: 'install.js', fileStatus: 'changed', size: 1200, shape: 'plain', uses: ['https', 'child_process'] }),
        ),
      ],
    },
    {
      name: 'Shai-Hulud: a new postinstall runs a new minified bundle that spawns programs',
      input: contentsInput(
        tarball([js('index.js', 70, 'a')]),
        tarball(
          [js('index.js', 70, 'a'), js('bundle.js', 3_774_873, 'b', MINIFIED, [use('child-process', 'child_process'), use('network', 'https')], { code: { capabilities: [], hosts: ['webhook.site'], requires: ['child_process', 'https'] } })],
          post('node bundle.js'),
        ),
      ),
      expected: [
        finding(
          'error',
          "pkg@1.0.1's postinstall script (new: \"node bundle.js\") runs bundle.js: a new file, 3.6 MB; minified; uses `child_process` and `https`; mentions webhook.site. " +
            'npm runs it on every install: read bundle.js before installing, or stay on 1.0.0.',
          evidence({ size: 3_774_873, shape: 'minified', uses: ['child_process', 'https'], hosts: ['webhook.site'], requires: ['child_process', 'https'] }),
        ),
      ],
    },
    {
      name: 'the same script now runs a changed, harmless-looking file: info',
      input: contentsInput(tarball([js('install.js', 900, 'i')], post('node install.js')), tarball([js('install.js', 950, 'j')], post('node install.js'))),
      expected: [
        finding(
          'info',
          "pkg@1.0.1's postinstall script (unchanged: \"node install.js\") runs install.js: changed since the previous release, 950 bytes; not minified or obfuscated; uses no child process, network, eval or environment listing. npm runs it on every install.",
          evidence({ command: 'node install.js', previousCommand: 'node install.js', file: 'install.js', fileStatus: 'changed', size: 950, shape: 'plain' }),
        ),
      ],
    },
    {
      name: 'a script naming a file that is not in the tarball',
      input: contentsInput(tarball([js('index.js', 70, 'a')]), tarball([js('index.js', 70, 'a')], post('node ./scripts/fetch.js || true'))),
      expected: [
        finding(
          'warning',
          "pkg@1.0.1's postinstall script (new: \"node ./scripts/fetch.js || true\") names scripts/fetch.js, which is not in the tarball (it may be downloaded or generated at install time). " +
            'npm runs it on every install: read scripts/fetch.js before installing, or stay on 1.0.0.',
          evidence({ command: 'node ./scripts/fetch.js || true', file: 'scripts/fetch.js', fileStatus: 'missing' }),
        ),
      ],
    },
  ],
});
