/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The UI check: what a person sees. Installs the packaged .vsix into a fresh
 * code-server (VS Code 1.139.1), opens a copy of the sample workspace (whose
 * settings load the sample's profile and plan), opens the hottest workspace file
 * and asserts from the DOM: the heat CodeLens and a hint lens, the after-line heat
 * text, and the Plan view's rows with their checkboxes. Screenshots in the light
 * and the dark theme go to test-results/ui-*.png.
 *
 * The expectations come from the CLI's report on the same files (the same engine),
 * so the check proves the editor renders what the engine computed.
 *
 *   node --import tsx test/harness/ui-check.ts
 * Exit code 0 = every assertion held in both themes.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  copyWorkspace,
  ensureInstalled,
  flavors,
  repoRoot,
  resultsDir,
  runUiStep,
  sampleWorkspace,
} from './code-server';
import { checkCompare } from './ui-compare';
import { checkFlameGraph } from './ui-flame-graph';
import { checkRecord } from './ui-record';
import { packageVsix } from './vsix';

interface ReportHotspot {
  function: string;
  file: string | null;
  line: number | null;
  totalPercent: number;
  category: string | null;
  hint: string | null;
}

/** What the check expects to see, computed by the CLI on the same profile. */
interface Expected {
  file: string;
  lensHint: string;
  planFile: string;
}

function expectations(folder: string): Expected {
  const settings = JSON.parse(fs.readFileSync(path.join(folder, '.vscode/settings.json'), 'utf8'));
  const profile = path.join(folder, settings['hotspotLens.profile']);
  const planFile = settings['hotspotLens.plans'][0];
  const r = spawnSync(
    process.execPath,
    [
      path.join(repoRoot, 'dist/cli.js'),
      'report',
      '--profile',
      profile,
      '--root',
      folder,
      '--top',
      '50',
      '--json',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`hotspot-lens report failed: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as { hotspots: ReportHotspot[] };
  const withHint = report.hotspots.find((h) => h.file && h.hint && h.line);
  if (!withHint?.file || !withHint.hint) throw new Error('the report has no workspace hotspot with a hint');
  return { file: withHint.file, lensHint: withHint.hint, planFile };
}

async function lensTexts(page: Page): Promise<string[]> {
  return page.locator('.codelens-decoration a, .codelens-decoration span').allInnerTexts();
}

async function afterTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const span of document.querySelectorAll('.monaco-editor .view-lines .view-line span')) {
      const c = getComputedStyle(span, '::after').content;
      if (c && c !== 'none' && c !== 'normal' && c.includes('%')) out.push(c.replace(/^"|"$/g, ''));
    }
    return out;
  });
}

async function planRows(page: Page): Promise<{ label: string; checked: string | null }[]> {
  const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Plan/ }) });
  await pane.first().waitFor({ timeout: 30_000 });
  const rows = pane.first().locator('.monaco-list-row');
  await rows.nth(2).waitFor({ timeout: 30_000 });
  return rows.evaluateAll((els) =>
    els.map((e) => {
      const cb = e.querySelector('.custom-view-tree-node-item-checkbox, [role=checkbox], .monaco-checkbox');
      return {
        label: (e.querySelector('.label-name, .monaco-icon-label')?.textContent ?? '').trim(),
        checked: cb
          ? (cb.getAttribute('aria-checked') ?? (cb.classList.contains('checked') ? 'true' : 'false'))
          : null,
      };
    }),
  );
}

async function checkTheme(theme: 'light' | 'dark', vsix: string): Promise<string[]> {
  const failures: string[] = [];
  const _flavor = flavors.newest;
  const folder = copyWorkspace(sampleWorkspace(), `ui-${theme}`);
  const expected = expectations(folder);
  await runUiStep(
    { tag: `ui-${theme}`, theme, vsix, folder, file: path.join(folder, expected.file) },
    failures,
    async (page) => {
      // 1. CodeLens: the heat lens and the hint lens the engine computed
      const lens = page.locator('.codelens-decoration', { hasText: expected.lensHint });
      await lens.first().waitFor({ timeout: 90_000 });
      const lenses = await lensTexts(page);
      if (!lenses.some((t) => /🔥 [\d.<]+% total · [\d.<]+% self/.test(t)))
        failures.push(`no heat lens among ${JSON.stringify(lenses)}`);
      if (!lenses.includes(expected.lensHint))
        failures.push(`no "${expected.lensHint}" lens among ${JSON.stringify(lenses)}`);
      if (!lenses.some((t) => t.startsWith('Plan: ') || t.startsWith('Plan · '))) {
        failures.push(`no plan lens among ${JSON.stringify(lenses)}`);
      }

      // 2. the after-line heat text (CSS ::after content, not in textContent)
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll('.monaco-editor .view-lines .view-line span')].some((s) =>
            getComputedStyle(s, '::after').content.includes('% total'),
          ),
        null,
        { timeout: 30_000 },
      );
      const after = await afterTexts(page);
      if (!after.some((t) => /[\d.<]+% total · [\d.<]+% self/.test(t)))
        failures.push(`no heat text among ${JSON.stringify(after)}`);

      // 3. the Plan view: open the Hotspot Lens container, read rows and checkboxes
      // open the container unless it is already showing (clicking an active container hides it)
      const planHeader = page.locator('.pane-header', { hasText: /^Plan/ });
      if (!(await planHeader.first().isVisible()))
        await page.locator('.activitybar [aria-label^="Hotspot Lens"]').first().click();
      const rows = await planRows(page);
      const withBoxes = rows.filter((r) => r.checked !== null);
      if (rows.length < 3) failures.push(`the Plan view shows ${rows.length} rows`);
      if (withBoxes.length === 0) failures.push(`no checkbox in the Plan view rows ${JSON.stringify(rows)}`);
      if (!rows.some((r) => r.checked === 'true')) failures.push('no ticked task in the Plan view');

      await page.waitForTimeout(500);
      fs.mkdirSync(resultsDir, { recursive: true });
      const shot = path.join(resultsDir, `ui-${theme}.png`);
      await page.screenshot({ path: shot });
      console.log(
        `[ui:${theme}] ${expected.file}: lenses ${JSON.stringify(lenses.slice(0, 6))}; heat text ${JSON.stringify(after.slice(0, 3))}; plan rows ${rows.length} (${withBoxes.length} with checkboxes); screenshot ${path.relative(repoRoot, shot)}`,
      );
    },
  );
  return failures;
}

async function main(): Promise<number> {
  ensureInstalled('newest');
  fs.mkdirSync(resultsDir, { recursive: true });
  const vsix = packageVsix();
  let failed = 0;
  // HOTSPOT_LENS_UI=flame (or compare, or record) runs only the flame graph (or compare, or record) step
  const only = process.env.HOTSPOT_LENS_UI;
  for (const theme of ['light', 'dark'] as const) {
    if (only === 'flame' || only === 'compare' || only === 'record') continue;
    const failures = await checkTheme(theme, vsix);
    for (const f of failures) console.error(`[ui:${theme}] FAILED: ${f}`);
    failed += failures.length;
  }
  // a re-profile: the delta lenses, the line text, the status bar and the Plan view's verdicts
  for (const theme of ['light', 'dark'] as const) {
    if (only === 'flame' || only === 'record') continue;
    const failures = await checkCompare(theme, vsix);
    for (const f of failures) console.error(`[ui:compare:${theme}] FAILED: ${f}`);
    failed += failures.length;
  }
  // the flame graph: screenshots, a click from the layout, search, differential, webview timings
  for (const theme of ['light', 'dark'] as const) {
    if (only === 'compare' || only === 'record') continue;
    const failures = await checkFlameGraph(theme, vsix);
    for (const f of failures) console.error(`[ui:flame:${theme}] FAILED: ${f}`);
    failed += failures.length;
  }
  // Record Profile from the command palette, twice: the terminal, the heat, the comparison
  for (const theme of ['light', 'dark'] as const) {
    if (only === 'flame' || only === 'compare') continue;
    const failures = await checkRecord(theme, vsix);
    for (const f of failures) console.error(`[ui:record:${theme}] FAILED: ${f}`);
    failed += failures.length;
  }
  console.log(failed === 0 ? '[ui] UI check passed' : `[ui] UI check FAILED (${failed})`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (c) => process.exit(c),
  (e) => {
    console.error('[ui] harness error:', e);
    process.exit(2);
  },
);
