import { contentsObfuscated } from '../../../../src/core/contents/rules/contents-obfuscated';
import type { Finding } from '../../../../src/core/types';
import { contentsInput, contentsRuleTable, js, manifest, MINIFIED, OBFUSCATED, PLAIN, tarball } from './helpers';

const CHALK_ADVICE = 'Obfuscated code appended to a package is how the 2025 chalk/debug compromise hid its payload:';
const plainIndex = tarball([js('index.js', 410, 'a')]);
const payloadIndex = tarball([js('index.js', 3256, 'b', OBFUSCATED)]);

function finding(severity: Finding['severity'], message: string, evidence: Finding['evidence'], version = '1.0.1'): Finding {
  return { rule: 'contents-obfuscated', severity, package: 'pkg', version, message, evidence };
}

contentsRuleTable(contentsObfuscated, {
  valid: [
    { name: 'index.js grew but stayed hand-written', input: contentsInput(plainIndex, tarball([js('index.js', 900, 'c')])) },
    { name: 'a package that always shipped obfuscated code (the same file grew)', input: contentsInput(payloadIndex, tarball([js('index.js', 4000, 'c', OBFUSCATED)])) },
    {
      name: 'a library that always shipped minified dist/ bundles adds another',
      input: contentsInput(
        tarball([js('dist/a.min.js', 2930, 'a', MINIFIED)], manifest({ main: 'dist/a.min.js' })),
        tarball([js('dist/a.min.js', 3830, 'b', MINIFIED), js('dist/b.min.js', 3444, 'c', MINIFIED)], manifest({ main: 'dist/a.min.js', exports: ['dist/b.min.js'] })),
      ),
    },
    {
      name: 'a minified file that nothing runs (a demo page) in a package that never shipped minified code',
      input: contentsInput(plainIndex, tarball([js('index.js', 410, 'a'), js('demo/app.min.js', 9000, 'd', MINIFIED)])),
    },
    { name: 'the first release: nothing to compare with', input: contentsInput(undefined, payloadIndex) },
    { name: 'an obfuscated file whose content did not change', input: contentsInput(payloadIndex, payloadIndex) },
  ],
  invalid: [
    {
      name: 'chalk/debug: obfuscated code appended to index.js in a patch release',
      input: contentsInput(plainIndex, payloadIndex),
      expected: [
        finding(
          'error',
          'pkg@1.0.1 grows index.js from 410 bytes to 3.2 KB with the shape of obfuscated code (102 _0x-style identifiers, a string-array rotation loop, a 2,845-character line (line 17)), which 1.0.0 did not have, in a patch release. ' +
            `${CHALK_ADVICE} read index.js near line 17 before installing, or stay on 1.0.0.`,
          {
            previousVersion: '1.0.0',
            file: 'index.js',
            sizeBefore: 410,
            sizeAfter: 3256,
            shape: 'obfuscated',
            reasons: OBFUSCATED.reasons,
            line: 17,
            excerpt: OBFUSCATED.excerpt ?? null,
          },
        ),
      ],
    },
    {
      name: 'the same in a new major release is a warning',
      input: contentsInput(plainIndex, payloadIndex, { version: '2.0.0', previous: '1.0.0', sameLine: false }),
      expected: [
        finding(
          'warning',
          'pkg@2.0.0 grows index.js from 410 bytes to 3.2 KB with the shape of obfuscated code (102 _0x-style identifiers, a string-array rotation loop, a 2,845-character line (line 17)), which 1.0.0 did not have, in a new major release. ' +
            `${CHALK_ADVICE} read index.js near line 17 before installing, or stay on 1.0.0.`,
          { previousVersion: '1.0.0', file: 'index.js', sizeBefore: 410, sizeAfter: 3256, shape: 'obfuscated', reasons: OBFUSCATED.reasons, line: 17, excerpt: OBFUSCATED.excerpt ?? null },
          '2.0.0',
        ),
      ],
    },
    {
      name: 'a new obfuscated file where the package had none',
      input: contentsInput(plainIndex, tarball([js('index.js', 410, 'a'), js('lib/telemetry.js', 3256, 'e', OBFUSCATED)])),
      expected: [
        finding(
          'error',
          'pkg@1.0.1 adds lib/telemetry.js (3.2 KB) with the shape of obfuscated code (102 _0x-style identifiers, a string-array rotation loop, a 2,845-character line (line 17)), which 1.0.0 did not have, in a patch release. ' +
            `${CHALK_ADVICE} read lib/telemetry.js near line 17 before installing, or stay on 1.0.0.`,
          { previousVersion: '1.0.0', file: 'lib/telemetry.js', sizeBefore: null, sizeAfter: 3256, shape: 'obfuscated', reasons: OBFUSCATED.reasons, line: 17, excerpt: OBFUSCATED.excerpt ?? null },
        ),
      ],
    },
    {
      name: 'a file rewritten as smaller obfuscated code',
      input: contentsInput(tarball([js('lib/util.js', 9000, 'a')]), tarball([js('lib/util.js', 3256, 'b', OBFUSCATED)], manifest({ main: 'lib/util.js' }))),
      expected: [
        finding(
          'error',
          'pkg@1.0.1 rewrites lib/util.js (8.8 KB, now 3.2 KB) with the shape of obfuscated code (102 _0x-style identifiers, a string-array rotation loop, a 2,845-character line (line 17)), which 1.0.0 did not have, in a patch release. ' +
            `${CHALK_ADVICE} read lib/util.js near line 17 before installing, or stay on 1.0.0.`,
          { previousVersion: '1.0.0', file: 'lib/util.js', sizeBefore: 9000, sizeAfter: 3256, shape: 'obfuscated', reasons: OBFUSCATED.reasons, line: 17, excerpt: OBFUSCATED.excerpt ?? null },
        ),
      ],
    },
    {
      name: 'a hand-written file gains a packed line',
      input: contentsInput(tarball([js('index.js', 410, 'a', PLAIN)]), tarball([js('index.js', 48_410, 'f', MINIFIED)])),
      expected: [
        finding(
          'warning',
          'pkg@1.0.1 grows index.js from 410 bytes to 47.3 KB with a line of minified or packed code (a 48,000-character line (line 2)), which 1.0.0 did not have, in a patch release. ' +
            'Packed code in a file that was hand-written can hide a payload: read index.js near line 2 before installing, or stay on 1.0.0.',
          { previousVersion: '1.0.0', file: 'index.js', sizeBefore: 410, sizeAfter: 48_410, shape: 'minified', reasons: MINIFIED.reasons, line: 2, excerpt: MINIFIED.excerpt ?? null },
        ),
      ],
    },
    {
      name: 'Shai-Hulud: a new minified bundle run at install, in a package that never shipped minified code',
      input: contentsInput(
        plainIndex,
        tarball([js('index.js', 410, 'a'), js('bundle.js', 3_774_873, 'g', MINIFIED)], manifest({ scripts: { postinstall: 'node bundle.js' } })),
      ),
      expected: [
        finding(
          'warning',
          'pkg@1.0.1 adds bundle.js (3.6 MB) with the shape of minified or packed code (a 48,000-character line (line 2)), which 1.0.0 did not have, in a patch release. ' +
            'Packed code in a file that was hand-written can hide a payload: read bundle.js near line 2 before installing, or stay on 1.0.0.',
          { previousVersion: '1.0.0', file: 'bundle.js', sizeBefore: null, sizeAfter: 3_774_873, shape: 'minified', reasons: MINIFIED.reasons, line: 2, excerpt: MINIFIED.excerpt ?? null },
        ),
      ],
    },
  ],
});
