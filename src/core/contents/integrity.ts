/** Checks bytes against a Subresource Integrity string (`sha512-…`), as npm checks every tarball it installs. */

import { createHash } from 'node:crypto';

/** True when `data` hashes to `integrity`. Unknown algorithms never match. */
export function matchesIntegrity(data: Buffer, integrity: string): boolean {
  const dash = integrity.indexOf('-');
  const algorithm = integrity.slice(0, dash);
  if (!['sha1', 'sha256', 'sha384', 'sha512'].includes(algorithm)) return false;
  const expected = integrity.slice(dash + 1).replace(/\?.*$/, '');
  return createHash(algorithm).update(data).digest('base64') === expected;
}

/** The SRI string of `data` (sha512), as `npm pack` reports it. */
export function integrityOf(data: Buffer): string {
  return `sha512-${createHash('sha512').update(data).digest('base64')}`;
}
