/** Package names: what may be requested, and how it is escaped in a URL. */

import assert from 'node:assert/strict';
import { checkPackageName, escapePackageName, scopeOf } from '../../../src/core/registry/package-name';

describe('checkPackageName', () => {
  const valid = ['lodash', '@types/node', 'JSONStream', 'left-pad', 'a.b_c-d', "odd~name!('*)", '@scope/a.b', 'x'.repeat(214)];
  for (const name of valid) {
    it(`accepts ${JSON.stringify(name.slice(0, 30))}`, () => assert.equal(checkPackageName(name), undefined));
  }

  const invalid: Array<[string, string]> = [
    ['', 'the name is empty'],
    ['x'.repeat(215), 'the name is longer than 214 characters'],
    [' lodash', 'the name has leading or trailing spaces'],
    ['node_modules', '"node_modules" is a reserved name'],
    ['../x', 'a name cannot start with "." or "_"'],
    ['..', 'a name cannot start with "." or "_"'],
    ['.hidden', 'a name cannot start with "." or "_"'],
    ['_private', 'a name cannot start with "." or "_"'],
    ['@scope/..', 'a name cannot start with "." or "_"'],
    ['@../x', 'a name cannot start with "." or "_"'],
    ['@scope/a/b', 'a scoped name must look like @scope/name'],
    ['@scope', 'a scoped name must look like @scope/name'],
    ['@/x', 'the scope or the name is empty'],
    ['a/b', 'the name contains characters that are not URL-safe'],
    ['a%2fb', 'the name contains characters that are not URL-safe'],
    ['a b', 'the name contains characters that are not URL-safe'],
    ['a\\b', 'the name contains characters that are not URL-safe'],
    ['a\nb', 'the name contains characters that are not URL-safe'],
    ['a?b', 'the name contains characters that are not URL-safe'],
  ];
  for (const [name, reason] of invalid) {
    it(`refuses ${JSON.stringify(name.slice(0, 30))}: ${reason}`, () => assert.equal(checkPackageName(name), reason));
  }
});

describe('checkPackageName: hostile names (issue 7)', () => {
  it('refuses a name with a lone surrogate instead of throwing URIError', () => {
    for (const name of ['a\ud800', '\udc00b', '@scope/x\ud83d', 'node_modules\ud800']) {
      assert.equal(checkPackageName(name), 'the name contains characters that are not URL-safe', JSON.stringify(name));
    }
  });

  it('refuses a well-formed non-ASCII name with the same reason, as before (control)', () => {
    assert.equal(checkPackageName('a😀'), 'the name contains characters that are not URL-safe');
  });
});

describe('escapePackageName', () => {
  it('escapes the scope separator as npm does', () => assert.equal(escapePackageName('@scope/name'), '@scope%2fname'));
  it('leaves an unscoped name alone', () => assert.equal(escapePackageName('lodash'), 'lodash'));
});

describe('scopeOf', () => {
  it('finds the scope of a scoped name', () => assert.equal(scopeOf('@scope/name'), '@scope'));
  it('finds none for an unscoped name', () => assert.equal(scopeOf('lodash'), undefined));
});
