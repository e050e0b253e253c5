/**
 * The floor: downloads and JSON.parses every packument a workload needs, `concurrency` at a time,
 * and nothing else. No audit can be faster cold. Usage: node floor.mjs <registry url> <names file> [concurrency]
 * Prints `{ documents, bytes }` as JSON.
 */

import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { createGunzip } from 'node:zlib';

const [registry, namesFile, concurrencyArg] = process.argv.slice(2);
const names = JSON.parse(readFileSync(namesFile, 'utf8'));
const concurrency = Number(concurrencyArg ?? 16);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function fetchJson(name) {
  const url = `${registry}${name.replace('/', '%2f')}`;
  return new Promise((resolve, reject) => {
    get(url, { agent, headers: { accept: 'application/json', 'accept-encoding': 'gzip' } }, (res) => {
      const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
      const chunks = [];
      body.on('data', (chunk) => chunks.push(chunk));
      body.on('error', reject);
      body.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        JSON.parse(text);
        resolve(text.length);
      });
    }).on('error', reject);
  });
}

let next = 0;
let bytes = 0;
async function worker() {
  while (next < names.length) {
    const size = await fetchJson(names[next++]);
    bytes += size;
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
agent.destroy();
process.stdout.write(`${JSON.stringify({ documents: names.length, bytes })}\n`);
