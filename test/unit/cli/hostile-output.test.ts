/** The CLI end to end with hostile text in the registry's answers and the lockfile (issue 7): no control reaches the terminal, JSON and SARIF stay valid. */

import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../../src/cli/main';
import { startHostileRegistry, type HostileRegistry } from '../../support/hostile-registry';
import { makeTempDir } from '../../support/registry-client-kit';

/** Characters a terminal acts on, other than the line feed. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** A page that clears the screen, sets a title, hides a hyperlink and reverses text if printed raw. */
const HOSTILE_BODY = '\u001b[2J\u001b]0;pwned\u0007\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u009b31m\u202egnp.exe\r';

describe('CLI output with hostile registry text and lockfile keys (issue 7)', () => {
  let registry: HostileRegistry;
  let dir: string;
  let remove: () => Promise<void>;

  before(async () => {
    registry = await startHostileRegistry();
    registry.setFault('ansi-page', { kind: 'body', contentType: 'text/html', body: HOSTILE_BODY });
  });
  after(() => registry.close());
  beforeEach(async () => {
    ({ dir, remove } = await makeTempDir());
    const project = join(dir, 'project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { 'evil-patch': '4.1.2', 'ansi-page': '1.0.0' } }));
    const lock = {
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { 'evil-patch': '4.1.2', 'ansi-page': '1.0.0' } },
        'node_modules/evil-patch': { version: '4.1.2', resolved: `${registry.url}evil-patch/-/evil-patch-4.1.2.tgz`, hasInstallScript: true },
        'node_modules/ansi-page': { version: '1.0.0', resolved: `${registry.url}ansi-page/-/ansi-page-1.0.0.tgz` },
        'node_modules/\u001b[31mred\u001b[0m': { version: '1.0.0' },
        'node_modules/x\u202etxt.exe': { version: '\u001b[2J1.0.0' },
      },
    };
    await writeFile(join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));
    await writeFile(join(dir, 'npmrc'), `registry=${registry.url}\n`);
  });
  afterEach(() => remove());

  async function audit(...flags: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await run(['audit', join(dir, 'project'), '--now', '2025-10-05T12:00:00.000Z', ...flags], {
      stdout: (t: string) => (stdout += t),
      stderr: (t: string) => (stderr += t),
      env: { npm_config_userconfig: join(dir, 'npmrc'), DEPENDENCY_RISK_CACHE_DIR: join(dir, 'cache'), HOME: dir },
      cwd: dir,
      platform: 'linux',
      homedir: dir,
    });
    return { code, stdout, stderr };
  }

  for (const format of ['text', 'json', 'sarif']) {
    it(`${format}: reports the hostile package and the odd lockfile keys with every control neutralised, on stdout and stderr`, async () => {
      const { code, stdout, stderr } = await audit('--format', format);
      assert.equal(code, 1, stderr);
      assert.equal(RAW_CONTROL.test(stdout.replace(/\n/g, '')), false, 'stdout');
      assert.equal(RAW_CONTROL.test(stderr.replace(/\n/g, '')), false, 'stderr');
      if (format !== 'text') assert.doesNotThrow(() => JSON.parse(stdout));
      const shown = format === 'text' ? stdout : stderr;
      assert.match(shown, /ansi-page: 127\.0\.0\.1:\d+ sent an unusable packument \(not valid JSON/);
      assert.match(shown, /package-lock\.json entry "node_modules\/\\u001b\[31mred\\u001b\[0m"/);
      assert.match(stdout, /evil-patch/);
    });
  }

  it('keeps the hostile text as data in JSON (escaped, not lost): the message parses back with its characters', async () => {
    const { stdout } = await audit('--format', 'json');
    const report = JSON.parse(stdout) as { errors: { package?: string; message: string }[] };
    const message = report.errors.find((e) => e.package === 'ansi-page')?.message ?? '';
    assert.match(message, /\u001b/, 'the JSON keeps the escape character as data; consumers decide how to show it');
  });
});
