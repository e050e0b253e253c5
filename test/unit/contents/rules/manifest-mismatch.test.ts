import { manifestMismatch } from '../../../../src/core/contents/rules/manifest-mismatch';
import type { Finding } from '../../../../src/core/types';
import { contentsInput, contentsRuleTable, file, js, manifest, tarball } from './helpers';

function finding(severity: Finding['severity'], message: string, differences: string[]): Finding {
  return { rule: 'manifest-mismatch', severity, package: 'pkg', version: '1.0.1', message, evidence: { differences } };
}

const before = tarball([js('index.js', 70, 'a')]);
const HIDDEN = 'npm runs the install scripts of the tarball, not those the registry shows, so reviews of the metadata miss them: read the tarball’s package.json before installing.';
const DIFFERENT = 'Tools that read the registry’s metadata and tools that read the tarball see different packages: check which one is right before installing.';

contentsRuleTable(manifestMismatch, {
  valid: [
    {
      name: 'the registry shows what the tarball has (optionalDependencies folded into dependencies, bin paths normalised)',
      input: contentsInput(
        before,
        tarball([js('index.js', 70, 'a'), js('cli.js', 10, 'c')], manifest({ scripts: { test: 'mocha' }, dependencies: { a: '^1.0.0' }, optionalDependencies: { b: '^2.0.0' }, bin: { pkg: 'cli.js' } })),
        { published: { scripts: { test: 'mocha' }, dependencies: { a: '^1.0.0', b: '^2.0.0' }, optionalDependencies: { b: '^2.0.0' }, bin: { pkg: './cli.js' } } },
      ),
    },
    {
      name: "npm's implicit node-gyp install for binding.gyp is not a difference",
      input: contentsInput(before, tarball([js('index.js', 70, 'a'), file('binding.gyp', 90, 'g')]), { published: { scripts: { install: 'node-gyp rebuild' }, gypfile: true } }),
    },
    { name: 'no registry metadata to compare with', input: contentsInput(before, tarball([js('index.js', 70, 'a')], manifest({ scripts: { postinstall: 'node x.js' } }))) },
  ],
  invalid: [
    {
      name: 'a postinstall in the tarball that the registry does not show (manifest confusion)',
      input: contentsInput(before, tarball([js('index.js', 70, 'a'), js('collect.js', 90, 'c')], manifest({ scripts: { postinstall: 'node collect.js' } })), { published: {} }),
      expected: [
        finding('error', `pkg@1.0.1: the package.json inside the tarball disagrees with the registry's metadata: scripts.postinstall: tarball "node collect.js", registry has none. ${HIDDEN}`, [
          'scripts.postinstall: tarball "node collect.js", registry has none',
        ]),
      ],
    },
    {
      name: 'dependencies and bin that differ are a warning',
      input: contentsInput(before, tarball([js('index.js', 70, 'a')], manifest({ dependencies: { a: '^1.0.0', evil: '1.0.0' }, bin: { pkg: 'cli.js' } })), {
        published: { dependencies: { a: '^1.0.0' }, bin: { pkg: 'bin/pkg.js' } },
      }),
      expected: [
        finding(
          'warning',
          `pkg@1.0.1: the package.json inside the tarball disagrees with the registry's metadata: dependencies: evil (tarball 1.0.0, registry none); bin: pkg (tarball cli.js, registry bin/pkg.js). ${DIFFERENT}`,
          ['dependencies: evil (tarball 1.0.0, registry none)', 'bin: pkg (tarball cli.js, registry bin/pkg.js)'],
        ),
      ],
    },
  ],
});
