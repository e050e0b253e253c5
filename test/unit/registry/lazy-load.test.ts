/** Keeps pacote, npm-registry-fetch and make-fetch-happen (~80 ms to require) out of every bundle's startup path: only the lazy chunk imports them. */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', '..', '..', 'src');
const CHUNK = 'core/registry/pacote-chunk.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Static (non-type) imports and requires of a module, by specifier. */
function staticImportsOf(text: string, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/^\s*(import(?!\s+type\b)[^'"]*?from\s*|import\s*|export[^'"]*?from\s*)['"]([^'"]+)['"]/gm)) {
    if (pattern.test(match[2] ?? '')) found.push(match[2] ?? '');
  }
  for (const match of text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    if (pattern.test(match[1] ?? '')) found.push(match[1] ?? '');
  }
  return found;
}

describe('lazy loading of the registry chunk', () => {
  it('has no static import of pacote, npm-registry-fetch, make-fetch-happen or the chunk outside the chunk', () => {
    const offenders = sourceFiles(SRC)
      .map((file) => [relative(SRC, file).split('\\').join('/'), staticImportsOf(readFileSync(file, 'utf8'), /^(pacote|npm-registry-fetch|make-fetch-happen)$|pacote-chunk$/)] as const)
      .filter(([file, imports]) => file !== CHUNK && imports.length > 0);
    assert.deepStrictEqual(offenders, []);
  });

  it('finds the chunk’s own static imports (control)', () => {
    assert.deepStrictEqual(staticImportsOf(readFileSync(join(SRC, CHUNK), 'utf8'), /^(pacote|npm-registry-fetch|make-fetch-happen)$/).sort(), ['make-fetch-happen', 'npm-registry-fetch', 'pacote']);
  });
});
