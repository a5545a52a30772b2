/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The UI check's compare step: what a person sees after a re-profile. A copy of the sample
 * whose settings load `profiles/reprofile.perf` (the "before" recording of the sample's real
 * before/after pair); the check opens `src/evaluator/context.rs`, waits for the heat, then
 * writes the "after" recording over the file, as a profiler would, and asserts from the DOM:
 * the delta CodeLens on `EvaluationContext::child` (▼ … vs baseline), the after-line text
 * with the change, the status bar's `vs baseline` and the Plan view's gain verdict. The
 * screenshot goes to test-results/ui-compare-<theme>.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import { copyWorkspace, repoRoot, resultsDir, runUiStep, sampleWorkspace } from './code-server';

const PAIR = path.join(repoRoot, 'examples/rust-sample/profiles/before-after');

/**
 * Runs the compare step in one theme with the packaged extension.
 * @returns the failures (empty when every assertion held)
 */
export async function checkCompare(theme: 'light' | 'dark', vsix: string): Promise<string[]> {
  const failures: string[] = [];
  const folder = copyWorkspace(sampleWorkspace(), `ui-compare-${theme}`);
  const profile = path.join(folder, 'profiles', 'reprofile.perf');
  fs.copyFileSync(path.join(PAIR, 'before.perf'), profile);
  fs.writeFileSync(
    path.join(folder, '.vscode', 'settings.json'),
    JSON.stringify({
      'hotspotLens.profile': 'profiles/reprofile.perf',
      'hotspotLens.plans': ['OPTIMIZATION_PLAN.md'],
    }),
  );
  await runUiStep(
    { tag: `ui-compare-${theme}`, theme, vsix, folder, file: path.join(folder, 'src/evaluator/context.rs') },
    failures,
    async (page) => {
      await page.locator('.codelens-decoration', { hasText: /🔥/ }).first().waitFor({ timeout: 90_000 });

      // the re-profile: the profiler writes the new recording over the loaded file
      fs.copyFileSync(path.join(PAIR, 'after.perf'), profile);
      const delta = page.locator('.codelens-decoration', { hasText: /vs baseline/ });
      await delta.first().waitFor({ timeout: 60_000 });
      const lenses = await page.locator('.codelens-decoration a, .codelens-decoration span').allInnerTexts();
      if (!lenses.some((t) => /^🔥 .*▼\d+% vs baseline$/.test(t)))
        failures.push(`no ▼ delta lens among ${JSON.stringify(lenses)}`);
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('.monaco-editor .view-lines .view-line span')].some((s) =>
            getComputedStyle(s, '::after').content.includes('vs baseline'),
          ),
        null,
        { timeout: 30_000 },
      );
      const status = await page.locator('.statusbar-item', { hasText: /vs baseline/ }).allInnerTexts();
      if (!status.some((t) => /vs baseline −\d+% CPU/.test(t)))
        failures.push(`no "vs baseline −N% CPU" in the status bar: ${JSON.stringify(status)}`);

      // the Plan view with the phases' verdicts
      const planHeader = page.locator('.pane-header', { hasText: /^Plan/ });
      if (!(await planHeader.first().isVisible()))
        await page.locator('.activitybar [aria-label^="Hotspot Lens"]').first().click();
      const verdict = page.locator('.pane .monaco-list-row .label-description', {
        hasText: /expected .*measured/,
      });
      await verdict.first().waitFor({ timeout: 30_000 });
      const verdicts = await verdict.allInnerTexts();
      if (!verdicts.some((t) => /[✓◐✗] expected [\d.–]+%, measured [\d.]+%/.test(t)))
        failures.push(`no gain verdict in the Plan view: ${JSON.stringify(verdicts)}`);

      await page.waitForTimeout(500);
      fs.mkdirSync(resultsDir, { recursive: true });
      const shot = path.join(resultsDir, `ui-compare-${theme}.png`);
      await page.screenshot({ path: shot });
      console.log(
        `[ui:compare:${theme}] lenses ${JSON.stringify(lenses.filter((t) => t.includes('vs baseline')).slice(0, 3))}; status ${JSON.stringify(status)}; verdicts ${JSON.stringify(verdicts.slice(0, 2))}; screenshot ${path.relative(repoRoot, shot)}`,
      );
    },
  );
  return failures;
}
