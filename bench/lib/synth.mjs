/** Synthesises a full npm packument for one package, deterministically from its name, shaped and sized like the registry's. */

import semver from 'semver';

/** Bump when the output changes: generated documents on disk are keyed by it. */
export const SYNTH_VERSION = 3;

/**
 * Packages whose real packuments are the registry's largest (thousands of nightly/canary versions):
 * their synthetic twins get the size and version count given here. Sizes are the uncompressed JSON.
 */
const HEAVY = new Map([
  ['next', { mb: 20, versions: 3200, pre: 'canary' }],
  ['typescript', { mb: 17, versions: 3300, pre: 'dev' }],
  ['aws-sdk', { mb: 14, versions: 2000 }],
  ['@types/node', { mb: 12, versions: 2100 }],
  ['react-dom', { mb: 11, versions: 2300, pre: 'canary' }],
  ['react', { mb: 8, versions: 2300, pre: 'canary' }],
  ['@mui/material', { mb: 5, versions: 400, pre: 'beta' }],
  ['eslint', { mb: 5, versions: 380 }],
  ['webpack', { mb: 4, versions: 820, pre: 'beta' }],
  ['esbuild', { mb: 3, versions: 600 }],
]);

/** Share of the other packages given a 10-20 MB packument at random (the long tail of huge documents). */
const HUGE_SHARE = 0.002;

/** mulberry32: a small seeded PRNG, so every run and machine generates the same documents. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashName(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** A draw from a log-normal distribution with the given median and spread. */
function logNormal(random, median, sigma) {
  const u = Math.max(random(), 1e-12);
  const v = random();
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

const pick = (random, list) => list[Math.floor(random() * list.length)];

const WORDS = (
  'the a of to and in is for with that on as this by module package function value option returns when data file ' +
  'config default object array string number callback promise stream buffer error event node browser support install ' +
  'usage example api license build test version release fix feature performance type types import export require ' +
  'server client request response parse format render component state hook plugin loader cache path url json'
).split(' ');
const USERS = 'alice bob carol dave erin frank grace heidi ivan judy mallory niaj olivia peggy rupert sybil trent victor walter'.split(' ');

function randomBase64(random, bytes) {
  const buffer = Buffer.allocUnsafe(bytes);
  for (let i = 0; i < bytes; i++) buffer[i] = Math.floor(random() * 256);
  return buffer.toString('base64');
}

function randomHex(random, chars) {
  let out = '';
  while (out.length < chars) out += Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  return out.slice(0, chars);
}

function prose(random, chars) {
  const parts = [];
  let length = 0;
  while (length < chars) {
    const sentence = Array.from({ length: 6 + Math.floor(random() * 12) }, () => pick(random, WORDS)).join(' ');
    const line = random() < 0.15 ? `\n## ${sentence.slice(0, 30)}\n\n` : random() < 0.1 ? `\n\`\`\`js\nconst x = require('${sentence.split(' ')[0]}');\n\`\`\`\n` : `${sentence}. `;
    parts.push(line);
    length += line.length;
  }
  return parts.join('').slice(0, chars);
}

/** A release history of `count` versions: mostly patches, some minors, rare majors; prereleases of the next version when `pre` is set. */
function versionWalk(random, count, pre) {
  const versions = [];
  let [major, minor, patch] = [random() < 0.3 ? 0 : 1, random() < 0.5 ? 0 : 1, 0];
  let preCount = 0;
  while (versions.length < count) {
    if (pre !== undefined && random() < 0.55) {
      versions.push(`${major}.${minor}.${patch + 1}-${pre}.${preCount++}`);
      continue;
    }
    const roll = random();
    if (roll < 0.025) [major, minor, patch] = [major + 1, 0, 0];
    else if (roll < 0.18) [minor, patch] = [minor + 1, 0];
    else patch++;
    preCount = 0;
    versions.push(`${major}.${minor}.${patch}`);
  }
  return versions;
}

/**
 * Plans one package's document: its versions (the locked ones always among them), publish times,
 * maintainers and the uncompressed size to aim at. `allNames` supplies dependency names.
 *
 * @param {string} name
 * @param {{ versions: Set<string>, installScript: Set<string> }} locked
 * @param {{ now: Date, allNames: readonly string[], maxBytes?: number }} options
 */
export function planPackument(name, locked, options) {
  const random = prng(hashName(`${SYNTH_VERSION}:${name}`));
  const heavy = HEAVY.get(name) ?? (random() < HUGE_SHARE ? { mb: 10 + random() * 10, versions: 1500 + Math.floor(random() * 1500) } : undefined);
  const count = heavy?.versions ?? Math.min(1500, Math.max(1, Math.round(logNormal(random, 22, 1.0))));
  let targetBytes = heavy ? heavy.mb * 1024 * 1024 : Math.min(8 * 1024 * 1024, Math.max(3000, logNormal(random, 80 * 1024, 1.3)));
  if (options.maxBytes !== undefined) targetBytes = Math.min(targetBytes, options.maxBytes);
  const walk = versionWalk(random, options.maxBytes !== undefined ? Math.min(count, 200) : count, heavy?.pre);
  const versions = [...new Set([...walk, ...locked.versions])].filter((v) => semver.valid(v) !== null).sort(semver.compare);

  // Publish times: spread from the package's creation to its last release, in version order.
  const nowMs = options.now.getTime();
  const day = 86_400_000;
  const lastMs = nowMs - Math.min(3000, logNormal(random, 60, 1.6)) * day;
  const createdMs = lastMs - (200 + random() * 3500) * day;
  const step = (lastMs - createdMs) / Math.max(1, versions.length - 1);
  const times = versions.map((_, i) => Math.round(createdMs + i * step + (random() - 0.5) * step * 0.4));

  const maintainerCount = 1 + Math.floor(random() * random() * 6);
  const offset = Math.floor(random() * USERS.length);
  const maintainers = Array.from({ length: maintainerCount }, (_, i) => USERS[(offset + i) % USERS.length]);
  const dependencyPool = Array.from({ length: Math.floor(logNormal(random, 4, 1.0)) }, () => pick(random, options.allNames)).filter((n) => n !== name);
  const devPool = Array.from({ length: Math.floor(logNormal(random, 8, 0.8)) }, () => pick(random, options.allNames)).filter((n) => n !== name);
  const scriptFrom = locked.installScript.size > 0 ? Math.floor(versions.length * random() * 0.5) : random() < 0.01 ? versions.length - 1 : Infinity;
  return {
    name,
    seed: hashName(`${SYNTH_VERSION}:doc:${name}`),
    versions,
    times,
    createdMs,
    maintainers,
    // A few packages end with a release by an account that never published them before.
    newPublisherAt: random() < 0.03 ? versions.length - 1 : Infinity,
    provenanceFrom: random() < 0.25 ? Math.floor(versions.length * (0.5 + random() * 0.5)) : Infinity,
    deprecatedBelow: random() < 0.05 ? Math.floor(versions.length * random()) : 0,
    scriptFrom,
    dependencyPool,
    devPool,
    targetBytes,
    topReadmeChars: Math.min(64 * 1024, Math.round(logNormal(random, 5000, 1.0))),
    users: heavy ? 800 : Math.floor(logNormal(random, 3, 2)),
  };
}

function repositoryOf(name) {
  const slug = name.replace(/^@/, '').replace('/', '-');
  return `git+https://github.com/${slug}/${slug}.git`;
}

function versionManifest(plan, index, random, readme) {
  const version = plan.versions[index];
  const name = plan.name;
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  const user = index >= plan.newPublisherAt ? 'newcomer-' + plan.name.length : plan.maintainers[index % plan.maintainers.length];
  const scripts = { test: 'jest --coverage', build: 'tsc -p tsconfig.build.json', lint: 'eslint . --ext .ts', prepublishOnly: 'npm run build' };
  if (index >= plan.scriptFrom) scripts.postinstall = 'node scripts/postinstall.js';
  const deps = Object.fromEntries(plan.dependencyPool.map((d) => [d, `^${1 + (index % 3)}.${index % 7}.0`]));
  const devDeps = Object.fromEntries(plan.devPool.map((d) => [d, `^${2 + (index % 4)}.${index % 9}.${index % 5}`]));
  const manifest = {
    name,
    version,
    description: `${name}: ${prose(random, 60)}`,
    main: 'dist/index.js',
    types: 'dist/index.d.ts',
    keywords: ['npm', base, 'module'],
    author: { name: plan.maintainers[0], email: `${plan.maintainers[0]}@example.com` },
    license: 'MIT',
    repository: { type: 'git', url: repositoryOf(name) },
    bugs: { url: `https://github.com/${base}/${base}/issues` },
    homepage: `https://github.com/${base}/${base}#readme`,
    scripts,
    dependencies: deps,
    devDependencies: devDeps,
    engines: { node: '>=18' },
    files: ['dist', 'README.md', 'LICENSE'],
    gitHead: randomHex(random, 40),
    _id: `${name}@${version}`,
    _nodeVersion: '20.11.1',
    _npmVersion: '10.2.4',
    dist: {
      integrity: `sha512-${randomBase64(random, 64)}`,
      shasum: randomHex(random, 40),
      tarball: `https://registry.npmjs.org/${name}/-/${base}-${version}.tgz`,
      fileCount: 10 + Math.floor(random() * 200),
      unpackedSize: 10_000 + Math.floor(random() * 2_000_000),
      signatures: [{ keyid: 'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA', sig: `MEUCIQ${randomBase64(random, 66)}` }],
      ...(index >= plan.provenanceFrom
        ? { attestations: { url: `https://registry.npmjs.org/-/npm/v1/attestations/${name}@${version}`, provenance: { predicateType: 'https://slsa.dev/provenance/v1' } } }
        : {}),
    },
    _npmUser: { name: user, email: `${user}@example.com` },
    maintainers: plan.maintainers.map((m) => ({ name: m, email: `${m}@example.com` })),
    directories: {},
    _npmOperationalInternal: { host: 's3://npm-registry-packages', tmp: `tmp/${base}_${version}_${plan.times[index]}_0.${randomHex(random, 8)}` },
    _hasShrinkwrap: false,
    ...(index < plan.deprecatedBelow ? { deprecated: `${name}@${version} is no longer supported; upgrade to the latest version.` } : {}),
  };
  if (readme !== undefined) manifest.readme = `# ${name} ${version}\n\n${readme}`;
  return JSON.stringify(manifest);
}

/**
 * The document as a list of string pieces (one per version), ready to be joined or streamed.
 * The per-version readme length is chosen so the whole document lands near `plan.targetBytes`.
 */
export function packumentPieces(plan) {
  const random = prng(plan.seed);
  const { name, versions, times } = plan;
  const topReadme = prose(random, plan.topReadmeChars);
  const baseBytes = versionManifest(plan, 0, prng(plan.seed), undefined).length;
  const spare = plan.targetBytes - topReadme.length - versions.length * (baseBytes + 40);
  const readmeChars = Math.min(48 * 1024, Math.floor(spare / versions.length));
  // Successive versions carry the same readme, as real per-version readmes mostly do (gzip sees the repetition).
  const readme = readmeChars >= 300 ? prose(random, readmeChars) : undefined;
  const stable = versions.filter((v) => semver.prerelease(v) === null);
  const tags = { latest: stable.at(-1) ?? versions.at(-1) };
  const preTag = versions.at(-1) !== tags.latest ? semver.prerelease(versions.at(-1))?.[0] : undefined;
  if (typeof preTag === 'string') tags[preTag] = versions.at(-1);
  const iso = (ms) => new Date(ms).toISOString();

  const pieces = [`{"_id":${JSON.stringify(name)},"_rev":"${versions.length}-${randomHex(random, 32)}","name":${JSON.stringify(name)},"dist-tags":${JSON.stringify(tags)},"versions":{`];
  versions.forEach((version, index) => {
    pieces.push(`${index === 0 ? '' : ','}${JSON.stringify(version)}:${versionManifest(plan, index, random, readme)}`);
  });
  const time = { created: iso(plan.createdMs), modified: iso(Math.max(...times)) };
  versions.forEach((version, index) => (time[version] = iso(times[index])));
  const users = Object.fromEntries(Array.from({ length: plan.users }, (_, i) => [`user${i}-${randomHex(random, 6)}`, true]));
  pieces.push(
    `},"time":${JSON.stringify(time)},"bugs":{"url":"https://github.com/x/x/issues"},"license":"MIT",` +
      `"homepage":"https://github.com/x/x#readme","keywords":["npm"],"repository":{"type":"git","url":${JSON.stringify(repositoryOf(name))}},` +
      `"description":"${name} package","maintainers":${JSON.stringify(plan.maintainers.map((m) => ({ name: m, email: `${m}@example.com` })))},` +
      `"readme":${JSON.stringify(topReadme)},"readmeFilename":"README.md","users":${JSON.stringify(users)}}`,
  );
  return pieces;
}
