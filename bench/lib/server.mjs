/**
 * The bench registry: serves the generated packuments on 127.0.0.1 from disk, streamed (gzip as
 * stored, or gunzipped on the fly), with ETag/304, and counts requests and bytes. Run as a child
 * process (`node server.mjs <packument folder>`); it prints its URL as the first line of stdout.
 * `GET /-/bench/stats` returns the counters, `POST /-/bench/reset` zeroes them.
 */

import { createReadStream, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: node server.mjs <packument folder>');
/** @type {import('./generate.mjs').PackumentIndex} */
const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));

const fresh = () => ({ connections: 0, requests: 0, documents: 0, notModified: 0, notFound: 0, bodyBytes: 0, documentBytes: 0, names: new Set(), maxInFlight: 0 });
let stats = fresh();
let inFlight = 0;

function nameOf(url) {
  try {
    return decodeURIComponent((url.split('?')[0] ?? '').slice(1));
  } catch {
    return undefined; // a malformed escape names no package
  }
}

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (url === '/-/bench/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ ...stats, names: stats.names.size }));
  }
  if (url === '/-/bench/reset') {
    stats = fresh();
    return res.end('{}');
  }
  stats.requests++;
  inFlight++;
  stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
  res.on('close', () => inFlight--);
  const name = nameOf(url);
  const entry = name === undefined ? undefined : index.documents[name];
  if (entry === undefined) {
    stats.notFound++;
    res.writeHead(404, { 'content-type': 'application/json' });
    return res.end('{"error":"Not found"}');
  }
  stats.names.add(name);
  const headers = { etag: entry.etag, 'cache-control': 'public, max-age=300', 'last-modified': 'Mon, 01 Jun 2026 00:00:00 GMT' };
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === entry.etag)) {
    stats.notModified++;
    res.writeHead(304, headers);
    return res.end();
  }
  stats.documents++;
  stats.documentBytes += entry.bytes;
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  const file = createReadStream(join(dir, 'docs', entry.file));
  res.writeHead(200, {
    ...headers,
    'content-type': 'application/json',
    ...(gzip ? { 'content-encoding': 'gzip', 'content-length': entry.gzipBytes } : { 'content-length': entry.bytes }),
  });
  const body = gzip ? file : file.pipe(createGunzip());
  body.on('data', (chunk) => (stats.bodyBytes += chunk.length));
  body.pipe(res);
});
server.on('connection', () => stats.connections++);
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`http://127.0.0.1:${address.port}/\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
