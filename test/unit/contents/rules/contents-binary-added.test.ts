import { contentsBinaryAdded } from '../../../../src/core/contents/rules/contents-binary-added';
import type { Finding } from '../../../../src/core/types';
import { contentsInput, contentsRuleTable, file, js, tarball } from './helpers';

function finding(severity: Finding['severity'], message: string, evidence: Finding['evidence'], version = '1.0.1'): Finding {
  return { rule: 'contents-binary-added', severity, package: 'pkg', version, message, evidence };
}

const source = tarball([js('index.js', 400, 'a')]);
const elf = file('bin/helper', 1_258_291, 'elf1', { binary: 'elf', executable: true });
const addon = file('prebuilds/linux-x64/addon.node', 88_000, 'node1', { binary: 'node-addon' });

contentsRuleTable(contentsBinaryAdded, {
  valid: [
    { name: 'the same binary in both versions (a changed build keeps its path)', input: contentsInput(tarball([addon]), tarball([{ ...addon, sha256: 'node2' }])) },
    { name: 'new files that are not binaries', input: contentsInput(source, tarball([js('index.js', 400, 'a'), js('lib/new.js', 100, 'b')])) },
    { name: 'the first release: nothing to compare with', input: contentsInput(undefined, tarball([elf])) },
  ],
  invalid: [
    {
      name: 'an ELF executable appears in a patch release of a pure-JavaScript package',
      input: contentsInput(source, tarball([js('index.js', 400, 'a'), elf])),
      expected: [
        finding(
          'error',
          'pkg@1.0.1 adds a native binary: bin/helper (ELF executable, 1.2 MB), in a patch release; 1.0.0 shipped none. ' +
            'A binary cannot be read like source and runs with your rights once loaded: make sure the package is expected to ship one, or stay on 1.0.0.',
          { previousVersion: '1.0.0', files: ['bin/helper'], formats: ['elf'], sizes: ['1258291'], previousHadBinaries: false },
        ),
      ],
    },
    {
      name: 'a new major that starts shipping an addon is a warning',
      input: contentsInput(source, tarball([js('index.js', 400, 'a'), addon]), { version: '2.0.0', sameLine: false }),
      expected: [
        finding(
          'warning',
          'pkg@2.0.0 adds a native binary: prebuilds/linux-x64/addon.node (Node.js native addon, 85.9 KB), in a new major release; 1.0.0 shipped none. ' +
            'A binary cannot be read like source and runs with your rights once loaded: make sure the package is expected to ship one, or stay on 1.0.0.',
          { previousVersion: '1.0.0', files: ['prebuilds/linux-x64/addon.node'], formats: ['node-addon'], sizes: ['88000'], previousHadBinaries: false },
          '2.0.0',
        ),
      ],
    },
    {
      name: 'a package that already shipped binaries adds a platform: info',
      input: contentsInput(tarball([addon]), tarball([addon, file('prebuilds/win32-x64/addon.exe', 90_000, 'pe1', { binary: 'pe' })])),
      expected: [
        finding(
          'info',
          'pkg@1.0.1 adds a native binary: prebuilds/win32-x64/addon.exe (Windows PE executable, 87.9 KB), in a patch release; 1.0.0 already shipped binaries. ' +
            'Check that the new binary matches the package’s published build (release notes, provenance).',
          { previousVersion: '1.0.0', files: ['prebuilds/win32-x64/addon.exe'], formats: ['pe'], sizes: ['90000'], previousHadBinaries: true },
        ),
      ],
    },
  ],
});
