/** Registry URLs: which registry serves a package, its packument URL, and credentials kept out of text. */

import assert from 'node:assert/strict';
import { parseRetryAfter } from '../../../src/core/registry/fetch-packument';
import { packumentUrl, pickRegistry, redactText, redactUrl, registryHost } from '../../../src/core/registry/registry-url';

describe('pickRegistry', () => {
  const options = {
    registry: 'https://registry.npmjs.org',
    scopes: { '@corp': 'https://npm.corp.example/api/npm/' },
    npmOptions: { '@other:registry': 'https://other.example/npm', '@bad:registry': 42 },
  };
  const cases: Array<[string, string]> = [
    ['lodash', 'https://registry.npmjs.org/'],
    ['@corp/tool', 'https://npm.corp.example/api/npm/'],
    ['@other/tool', 'https://other.example/npm/'],
    ['@bad/tool', 'https://registry.npmjs.org/'],
    ['@public/tool', 'https://registry.npmjs.org/'],
  ];
  for (const [name, registry] of cases) {
    it(`sends ${name} to ${registry}`, () => assert.equal(pickRegistry(name, options), registry));
  }

  it('prefers `scopes` over npmOptions for the same scope', () => {
    assert.equal(pickRegistry('@x/y', { registry: 'https://a.example/', scopes: { '@x': 'https://b.example/' }, npmOptions: { '@x:registry': 'https://c.example/' } }), 'https://b.example/');
  });
});

describe('packumentUrl', () => {
  it('keeps the registry path and escapes the scope', () => {
    assert.equal(packumentUrl('https://npm.corp.example/api/npm', '@corp/tool'), 'https://npm.corp.example/api/npm/@corp%2ftool');
  });
});

describe('redaction', () => {
  it('strips user info, query and fragment from a URL', () => {
    assert.equal(redactUrl('https://user:s3cret@registry.example:8443/path/?token=abc#x'), 'https://registry.example:8443/path/');
  });

  it('never echoes an unparseable URL', () => assert.equal(redactUrl('npm_s3cret'), '<invalid URL>'));

  it('gives the host and port only', () => assert.equal(registryHost('https://u:p@registry.example:8443/x/'), 'registry.example:8443'));

  const texts: Array<[string, string]> = [
    ['request to https://user:pass@host/x failed', 'request to https://***@host/x failed'],
    ['authorization: Bearer npm_abcDEF123', 'authorization: Bearer ***'],
    ['//host/:_authToken=npm_abc', '//host/:_authToken=***'],
    ['no secrets here', 'no secrets here'],
  ];
  for (const [text, redacted] of texts) {
    it(`redacts ${JSON.stringify(text)}`, () => assert.equal(redactText(text), redacted));
  }
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-11-01T12:00:00.000Z');
  const cases: Array<[string | undefined, number | undefined]> = [
    [undefined, undefined],
    ['0', 0],
    ['3', 3000],
    [' 120 ', 120_000],
    ['Sat, 01 Nov 2025 12:00:10 GMT', 10_000],
    ['Sat, 01 Nov 2025 11:00:00 GMT', 0],
    ['soon', undefined],
    ['-1', undefined],
  ];
  for (const [value, ms] of cases) {
    it(`reads ${JSON.stringify(value)} as ${String(ms)} ms`, () => assert.equal(parseRetryAfter(value, now), ms));
  }
});
