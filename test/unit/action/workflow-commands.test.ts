/** Workflow commands: annotations most severe first within GitHub's per-level cap, and package text that cannot end a command or start another. */

import assert from 'node:assert/strict';
import { ANNOTATIONS_PER_LEVEL, formatAnnotations, formatOutput } from '../../../src/action/workflow-commands';
import type { Finding } from '../../../src/core/types';

const finding = (severity: Finding['severity'], pkg: string, message = `${pkg} is risky.`): Finding => ({
  rule: 'install-script-added',
  severity,
  package: pkg,
  version: '1.0.0',
  message,
  evidence: {},
  location: { file: 'package-lock.json', offset: 0, length: 1, line: 3, column: 5 },
});

describe('workflow commands', () => {
  it('writes errors before warnings, at most ten of each level, and skips findings without a location', () => {
    const findings = [
      ...Array.from({ length: 12 }, (_, i) => finding('warning', `w${String(i).padStart(2, '0')}`)),
      ...Array.from({ length: 11 }, (_, i) => finding('error', `e${String(i).padStart(2, '0')}`)),
      { ...finding('info', 'unlocated'), location: undefined },
    ];
    const lines = formatAnnotations(findings).trimEnd().split('\n');
    assert.deepStrictEqual(
      [lines.length, lines.filter((l) => l.startsWith('::error ')).length, lines.findIndex((l) => l.startsWith('::warning ')), ANNOTATIONS_PER_LEVEL],
      [20, 10, 10, 10],
    );
    assert.equal(lines[0], '::error file=package-lock.json,line=3,col=5,title=Dependency Risk%3A install-script-added::e00 is risky.');
  });

  it('escapes newlines, percent signs and property separators so hostile text stays one annotation', () => {
    const hostile = { ...finding('error', 'evil', 'evil 100%\n::error file=x::forged\r'), location: { file: 'a,b:c.json', offset: 0, length: 1, line: 1, column: 1 } };
    assert.equal(formatAnnotations([hostile]), '::error file=a%2Cb%3Ac.json,line=1,col=1,title=Dependency Risk%3A install-script-added::evil 100%25%0A::error file=x::forged\\r\n');
    assert.equal(formatOutput('x', 'a\nDEPENDENCY_RISK_EOF\nb'), 'x<<DEPENDENCY_RISK_EOF_\na\nDEPENDENCY_RISK_EOF\nb\nDEPENDENCY_RISK_EOF_\n');
  });
});
