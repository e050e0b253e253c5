/** Proves the UI phase works: the workbench opens the fixture package.json in an editor and a screenshot is saved. */
// A UI script is a default-exported async function called with the live Playwright page after the
// mocha suites (see run.mjs, runUiScripts). Wait on selectors with generous timeouts: on 2 cores a
// workbench reload takes up to 10 s.
const STEP_TIMEOUT_MS = 60_000;

export default async function openPackageJson({ page, openFile, screenshot }) {
  await openFile('package.json');
  await page.locator('.tabs-container .tab.active', { hasText: 'package.json' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.locator('.editor-instance .view-lines', { hasText: '"basic-fixture"' }).waitFor({ timeout: STEP_TIMEOUT_MS });
  await screenshot('package-json');
}
