/** What a user sees on risky-app/package.json in the workbench: squiggles, the Problems panel, the hover, and the quick fix that pins a safe version. */
// The fixture registry runs here, in the runner, with its packuments shifted to the real clock
// (test/integration/helpers/registry.ts, bundled on the fly: the runner is plain Node ESM).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures');
const STEP_TIMEOUT_MS = 60_000;

export default async function riskyApp({ page, session, workspace, openFile, screenshot, log }) {
  const { startEditorRegistry } = await loadRegistryHelper(session.runDir);
  const { registry } = await startEditorRegistry(FIXTURES);
  try {
    const project = path.join(workspace, 'risky-app');
    fs.rmSync(project, { recursive: true, force: true });
    fs.cpSync(path.join(FIXTURES, 'projects/risky-app'), project, { recursive: true });
    fs.writeFileSync(path.join(project, '.npmrc'), `registry=${registry.url}\n`);

    await openFile('risky-app/package.json');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: '"risky-app"' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    // One error (evil-patch's install script, on app-framework) and warnings on five more lines.
    await editor.locator('.view-overlays div.cdr.squiggly-error').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await editor.locator('.view-overlays div.cdr.squiggly-warning').nth(4).waitFor({ timeout: STEP_TIMEOUT_MS });
    log(`squiggles: ${await editor.locator('.view-overlays div.cdr.squiggly-error').count()} error, ${await editor.locator('.view-overlays div.cdr.squiggly-warning').count()} warning, ${await editor.locator('.view-overlays div.cdr.squiggly-info').count()} info`);

    await token(editor, '"risky-app"').click();
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems.locator('.monaco-list-row', { hasText: 'brings in evil-patch 4.1.2' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await screenshot('diagnostics');
    await page.keyboard.press('Control+Shift+M'); // the panel closes again: the editor gets the room back

    // Hover the error: the diagnostics' messages, linked to the lockfile entry that brings evil-patch in.
    await token(editor, '"^3.0.0"').hover();
    await page.locator('.monaco-hover:visible', { hasText: 'brings in evil-patch 4.1.2' }).filter({ hasNotText: /Loading\.\.\.|Checking for quick fixes/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await screenshot('hover-error');
    await dismissHover(page);

    // Hover a dependency's name: what we know about its locked version (the npm extension adds its own part below).
    await token(editor, '"native-addon"').hover();
    await page.locator('.monaco-hover:visible', { hasText: 'native-addon 5.1.0 (locked)' }).filter({ hasText: 'prebuild-install || node-gyp rebuild' }).filter({ hasNotText: /Loading\.\.\./ }).waitFor({ timeout: STEP_TIMEOUT_MS });
    await screenshot('hover');
    await dismissHover(page);

    // The quick fix menu on lost-provenance: the preferred fix pins the version published before the risky one.
    await token(editor, '"^3.1.0"').click();
    await page.locator('.statusbar-item', { hasText: 'Ln 8, Col' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    const pin = page.locator('.action-widget:visible').locator('.action-list-item, .monaco-list-row', { hasText: 'Pin lost-provenance to 3.1.1' }).first();
    await openQuickFixMenu(page, pin, log);
    await screenshot('quickfix');
    await page.keyboard.press('Enter');
    await editor.locator('.view-lines', { hasText: '"lost-provenance": "3.1.1"' }).waitFor({ timeout: STEP_TIMEOUT_MS });
    log('the preferred quick fix pinned lost-provenance to 3.1.1');
    await page.keyboard.press('Control+Z');
    await editor.locator('.view-lines', { hasText: '"lost-provenance": "^3.1.0"' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  } finally {
    await registry.close();
  }
}

/** The editor's rendered token with exactly this text (Monaco renders a JSON string as one span). */
function token(editor, text) {
  return editor.locator('.view-lines span span', { hasText: text }).filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first();
}

/**
 * Presses Ctrl+. until the quick fix menu shows `item`. Under load a key press can land while the
 * editor is still taking focus back from the hover, and then no menu opens; the menu that does open
 * is checked as it is.
 */
async function openQuickFixMenu(page, item, log) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    try {
      await item.waitFor({ timeout: Math.min(10_000, Math.max(1, deadline - Date.now())) });
      if (attempt > 1) log(`quick fix menu opened on attempt ${attempt}`);
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

async function dismissHover(page) {
  await page.mouse.move(5, 400);
  await page.keyboard.press('Escape');
  // Hidden copies of the hover widget stay in the DOM: wait until none is visible.
  await page.locator('.monaco-hover').filter({ visible: true }).first().waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
}

/** Bundles helpers/registry.ts (TypeScript) for this plain-ESM runner and loads it. */
async function loadRegistryHelper(runDir) {
  const outfile = path.join(runDir, 'ui-registry.cjs');
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'test/integration/helpers/registry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}
