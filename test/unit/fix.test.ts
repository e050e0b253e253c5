import assert from 'node:assert/strict';
import { applyEdits, overrideEdits, setJsonValue } from '../../src/core/fix';

const apply = (text: string, edits: ReturnType<typeof setJsonValue>) => (edits === undefined ? undefined : applyEdits(text, edits));

describe('setJsonValue and overrideEdits', () => {
  it('adds an override to an ordinary package.json, keeping its indentation and line endings (control)', () => {
    const text = '\uFEFF{\r\n    "name": "app"\r\n}\r\n';
    assert.equal(apply(text, overrideEdits(text, 'evil', '1.0.0')), '\uFEFF{\r\n    "name": "app",\r\n    "overrides": {\r\n        "evil": "1.0.0"\r\n    }\r\n}\r\n');
    assert.equal(apply('', overrideEdits('', 'evil', '1.0.0')), '{\n  "overrides": {\n    "evil": "1.0.0"\n  }\n}');
  });

  it('plans no edit for a one-line package.json nested past the formatter’s limit, instead of throwing (issue 7)', () => {
    // jsonc-parser's formatter throws a TypeError once an indentation reaches 200 columns.
    for (const depth of [100, 1000]) {
      const text = `{"config":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      assert.equal(overrideEdits(text, 'evil', '1.0.0'), undefined, `depth ${depth}`);
    }
    // With 8-space indentation the limit comes 4 times sooner.
    const wide = `{\n        "x": 1, "config": ${'['.repeat(25)}${']'.repeat(25)}}`;
    assert.equal(setJsonValue(wide, ['allowScripts', 'evil'], false), undefined);
  });

  it('returns at once for deep unterminated text, which the formatter takes minutes and gigabytes over (issue 7)', () => {
    const text = `{"config":${'['.repeat(3000)}`;
    const start = performance.now();
    assert.equal(overrideEdits(text, 'evil', '1.0.0'), undefined);
    assert.ok(performance.now() - start < 1000);
  });

  it('still edits a file nested as deep as real ones get (control)', () => {
    const text = `{"config":${'['.repeat(30)}${']'.repeat(30)}}`;
    const edited = apply(text, overrideEdits(text, 'evil', '1.0.0'));
    assert.deepStrictEqual((JSON.parse(edited ?? '') as { overrides: unknown }).overrides, { evil: '1.0.0' });
  });

  it('plans no edit for text with syntax errors, a non-object root, or a non-object on the path (issue 7)', () => {
    for (const text of ['{"dependencies": {"a": "1.0.', '[1]', '"x"', '{"overrides": 5}', '{"overrides": [1]}', '{"overrides": null}']) {
      assert.equal(setJsonValue(text, ['overrides', 'evil'], '1.0.0'), undefined, text);
    }
  });
});
