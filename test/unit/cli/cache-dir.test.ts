/** Tests the choice of the CLI's cache folder per platform and the DEPENDENCY_RISK_CACHE_DIR override. */

import * as assert from 'node:assert/strict';
import { resolveCacheDir } from '../../../src/cli/cache-dir';

describe('resolveCacheDir', () => {
  it('uses $XDG_CACHE_HOME on Linux', () => {
    assert.equal(resolveCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/u', '/p'), '/xdg/dependency-risk');
  });
  it('falls back to ~/.cache on Linux when XDG_CACHE_HOME is unset, empty or relative', () => {
    assert.equal(resolveCacheDir({}, 'linux', '/home/u', '/p'), '/home/u/.cache/dependency-risk');
    assert.equal(resolveCacheDir({ XDG_CACHE_HOME: '' }, 'linux', '/home/u', '/p'), '/home/u/.cache/dependency-risk');
    assert.equal(resolveCacheDir({ XDG_CACHE_HOME: 'rel' }, 'linux', '/home/u', '/p'), '/home/u/.cache/dependency-risk');
  });
  it('uses ~/Library/Caches on macOS', () => {
    assert.equal(resolveCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'darwin', '/Users/u', '/p'), '/Users/u/Library/Caches/dependency-risk');
  });
  it('uses %LOCALAPPDATA%\\dependency-risk\\Cache on Windows', () => {
    assert.equal(resolveCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u', 'C:\\p'), 'C:\\Users\\u\\AppData\\Local\\dependency-risk\\Cache');
    assert.equal(resolveCacheDir({}, 'win32', 'C:\\Users\\u', 'C:\\p'), 'C:\\Users\\u\\AppData\\Local\\dependency-risk\\Cache');
  });
  it('lets DEPENDENCY_RISK_CACHE_DIR win, resolved against the working folder', () => {
    assert.equal(resolveCacheDir({ DEPENDENCY_RISK_CACHE_DIR: '/tmp/c', XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/u', '/p'), '/tmp/c');
    assert.equal(resolveCacheDir({ DEPENDENCY_RISK_CACHE_DIR: 'cache' }, 'linux', '/home/u', '/p'), '/p/cache');
  });
});
