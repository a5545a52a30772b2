/// <reference lib="dom" />
/**
 * The UI check's record step: *Record Profile* as a person runs it. A copy of the sample
 * with our C program (test/fixtures/programs/c/perf-busy.c, as `busy.c`) and two workloads
 * in `.vscode/tasks.json` (`"type": "hotspot-lens"`: build it with cc, record it with perf
 * at `cpu-clock`, a light and a heavy run). The check opens busy.c, runs *Hotspot Lens:
 * Record Profile…* from the command palette twice, picking each workload in the quick pick,
 * and asserts from the DOM: the task's terminal, the heat CodeLens on `hl_inner` after the
 * first recording, the ▲ delta lens and the status bar's `vs baseline` after the second
 * (compared with the first). Screenshot: test-results/ui-record-<theme>.png; with
 * HOTSPOT_LENS_UPDATE_DOCS=1 the light one also goes to docs/images/record.png (the README's).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  copyWorkspace,
  escapeRegExp,
  pickQuickPickRow,
  repoRoot,
  resultsDir,
  runPaletteCommand,
  runUiStep,
  sampleWorkspace,
} from './code-server';

const BUSY_C = path.join(repoRoot, 'test/fixtures/programs/c/perf-busy.c');

/** A workload of the check's tasks.json: build busy.c, record `busy ROUNDS` with perf. */
function workload(label: string, rounds: number) {
  return {
    type: 'hotspot-lens',
    label,
    profiler: 'perf',
    build: ['cc', '-O0', '-g', '-fno-omit-frame-pointer', '-o', '.hotspot-lens/busy', 'busy.c'],
    command: ['.hotspot-lens/busy', String(rounds)],
  };
}

/** Runs *Record Profile…* from the command palette and picks the workload named `label`. */
async function recordFromPalette(page: Page, label: string): Promise<void> {
  await runPaletteCommand(page, 'Hotspot Lens: Record Profile', 'Hotspot Lens: Record Profile…');
  await pickQuickPickRow(page, new RegExp(escapeRegExp(label)));
}

/**
 * Runs the record step in one theme with the packaged extension.
 * @returns the failures (empty when every assertion held)
 */
export async function checkRecord(theme: 'light' | 'dark', vsix: string): Promise<string[]> {
  const failures: string[] = [];
  const folder = copyWorkspace(sampleWorkspace(), `ui-record-${theme}`);
  fs.copyFileSync(BUSY_C, path.join(folder, 'busy.c'));
  fs.mkdirSync(path.join(folder, '.hotspot-lens'), { recursive: true });
  // no profile configured: the first recording is loaded alone, the second compared with it
  fs.writeFileSync(
    path.join(folder, '.vscode', 'settings.json'),
    JSON.stringify({ 'hotspotLens.plans': ['OPTIMIZATION_PLAN.md'] }),
  );
  fs.writeFileSync(
    path.join(folder, '.vscode', 'tasks.json'),
    JSON.stringify(
      { version: '2.0.0', tasks: [workload('busy: light run', 300), workload('busy: heavy run', 900)] },
      null,
      2,
    ),
  );
  await runUiStep(
    {
      tag: `ui-record-${theme}`,
      theme,
      vsix,
      folder,
      file: path.join(folder, 'busy.c'),
      settings: { 'security.workspace.trust.enabled': false },
    },
    failures,
    async (page) => {
      await page.locator('.view-lines', { hasText: 'hl_inner' }).first().waitFor({ timeout: 60_000 });
      // the extension is active once its Plan item is in the status bar
      await page
        .locator('.statusbar-item', { hasText: /Plan \d+\/\d+/ })
        .first()
        .waitFor({ timeout: 90_000 });

      await recordFromPalette(page, 'busy: light run');
      await page.locator('.terminal-wrapper, .terminal').first().waitFor({ timeout: 60_000 });
      await page.locator('.codelens-decoration', { hasText: /🔥/ }).first().waitFor({ timeout: 120_000 });

      await recordFromPalette(page, 'busy: heavy run');
      const delta = page.locator('.codelens-decoration', { hasText: /vs baseline/ });
      await delta.first().waitFor({ timeout: 120_000 });
      const lenses = await page.locator('.codelens-decoration a, .codelens-decoration span').allInnerTexts();
      if (!lenses.some((t) => /^🔥 .*▲\d+% vs baseline$/.test(t)))
        failures.push(`no ▲ delta lens (the heavy run is slower) among ${JSON.stringify(lenses)}`);
      const status = await page.locator('.statusbar-item', { hasText: /vs baseline/ }).allInnerTexts();
      if (!status.some((t) => /vs baseline \+\d+% CPU/.test(t)))
        failures.push(`no "vs baseline +N% CPU" in the status bar: ${JSON.stringify(status)}`);
      const recordings = fs
        .readdirSync(path.join(folder, '.hotspot-lens/profiles'))
        .filter((f) => f.endsWith('.perf.meta.json'));
      if (recordings.length !== 2) failures.push(`${recordings.length} recordings written, expected 2`);

      await page.waitForTimeout(800);
      fs.mkdirSync(resultsDir, { recursive: true });
      const shot = path.join(resultsDir, `ui-record-${theme}.png`);
      await page.screenshot({ path: shot });
      if (theme === 'light' && process.env.HOTSPOT_LENS_UPDATE_DOCS === '1' && failures.length === 0)
        fs.copyFileSync(shot, path.join(repoRoot, 'docs/images/record.png'));
      console.log(
        `[ui:record:${theme}] lenses ${JSON.stringify(lenses.filter((t) => t.includes('vs baseline')).slice(0, 3))}; status ${JSON.stringify(status)}; recordings ${recordings.length}; screenshot ${path.relative(repoRoot, shot)}`,
      );
    },
  );
  return failures;
}
