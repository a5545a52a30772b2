/// <reference lib="dom" />
/**
 * The flame graph's part of the UI check (run by ui-check.ts as its last step, once
 * per theme): in code-server with the packaged .vsix on a copy of the sample
 * workspace, shows the flame graph from the command palette and screenshots it;
 * double-clicks the heaviest workspace frame at coordinates computed with the same
 * layout code (core/flame/layout) and checks the editor opened that function's file
 * and line; searches and checks the highlighted share; shows the differential flame
 * graph against a perturbed baseline; and opens a generated 100,000-node profile with
 * the custom editor to record the first paint and repaint times in the real webview
 * (test-results/flame-perf-<theme>.json; printed, never asserted).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { FunctionKind } from '../../src/core/flame/flame-data';
import { expandFlameTree } from '../../src/core/flame/flame-tree';
import { formatShare } from '../../src/core/flame/format';
import { layoutFlame, rectOf } from '../../src/core/flame/layout';
import { functionWeights, matchFunctions, searchTree } from '../../src/core/flame/transforms';
import { computeFlameData } from '../../src/vscode/flame-graph/flame-pipeline';
import {
  copyWorkspace,
  pickQuickPickRow,
  repoRoot,
  resultsDir,
  runPaletteCommand,
  runUiStep,
  sampleWorkspace,
} from './code-server';

const ROW_HEIGHT = 18;

/** The webview frame whose flame graph shows `title` (and is differential, when asked). */
async function flameFrame(
  page: Page,
  title: string,
  differential = false,
  timeoutMs = 90_000,
): Promise<Frame> {
  const t0 = Date.now();
  for (;;) {
    for (const f of page.frames()) {
      const ok = await f
        .evaluate(
          ([t, d]) => {
            const app = document.getElementById('flame-app');
            return (
              !!app &&
              app.dataset.title === t &&
              app.dataset.firstPaintMs !== undefined &&
              (app.dataset.differential === 'true') === d
            );
          },
          [title, differential] as const,
        )
        .catch(() => false);
      if (ok) return f;
    }
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`no flame graph of ${title} painted within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

/** A perf script baseline: clone-heavy samples halved, drop-heavy samples doubled (so now: clones slower, drops faster). */
function perturbedPerf(text: string): string {
  const blocks = text.split(/\n\s*\n/);
  const out: string[] = [];
  let clones = 0;
  for (const b of blocks) {
    if (/clone/.test(b)) {
      if (clones++ % 2 === 0) out.push(b);
    } else if (/drop_in_place/.test(b)) out.push(b, b);
    else out.push(b);
  }
  return `${out.join('\n\n')}\n`;
}

/**
 * Folded stacks whose call tree has `nodes` nodes (deterministic): each frame picks one
 * of its caller's seven callees, the first ones far more often, so some paths are wide.
 */
function bigFolded(nodes: number): string {
  let s = 16;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const lines: string[] = [];
  const seen = new Set<string>();
  while (seen.size < nodes) {
    const depth = 4 + Math.floor(rnd() * 36);
    let id = 0;
    let path = 'main';
    for (let d = 1; d < depth; d++) {
      id = id * 7 + Math.floor(rnd() ** 2.5 * 7);
      path += `;module_${d % 17}::function_${d}_${id % 100003}`;
      seen.add(path);
    }
    lines.push(`${path} ${1 + Math.floor(rnd() * 20)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Runs the flame graph checks in one theme; returns the failures. */
export async function checkFlameGraph(theme: 'light' | 'dark', vsix: string): Promise<string[]> {
  const failures: string[] = [];
  const folder = copyWorkspace(sampleWorkspace(), `flame-${theme}`);
  const settings = JSON.parse(fs.readFileSync(path.join(folder, '.vscode/settings.json'), 'utf8'));
  const profilePath = path.join(folder, settings['hotspotLens.profile']);
  const profileName = path.basename(profilePath);
  fs.writeFileSync(
    path.join(folder, 'profiles/baseline.perf'),
    perturbedPerf(fs.readFileSync(profilePath, 'utf8')),
  );
  fs.writeFileSync(path.join(folder, 'profiles/big.folded'), bigFolded(100_000));
  const data = (await computeFlameData({ profilePath, root: folder })).current;
  const tree = expandFlameTree(data.tree);
  const f = data.functions;
  // the frame to click: the heaviest frame of the workspace function with the most self weight
  let hottest = -1;
  let hottestSelf = 0;
  for (let fn = 0; fn < f.names.length; fn++) {
    if (f.kinds[fn] !== FunctionKind.workspace || !(f.lines[fn] > 0)) continue;
    const w = functionWeights(tree, fn).self;
    if (w > hottestSelf) [hottest, hottestSelf] = [fn, w];
  }
  let target = -1;
  for (let i = 1; i < tree.count; i++)
    if (tree.func[i] === hottest && (target < 0 || tree.total[i] > tree.total[target])) target = i;
  if (target < 0) return ['the sample profile has no workspace frame with self weight'];
  const targetFunc = tree.func[target];

  const perf: Record<string, unknown> = { theme };
  await runUiStep(
    {
      tag: `flame-${theme}`,
      theme,
      vsix,
      folder,
      file: path.join(folder, 'README.md'),
      onStopError: (e: unknown) => console.log(`[ui:flame:${theme}] stopping code-server: ${e}`),
    },
    failures,
    async (page) => {
      await page.locator('.statusbar-item', { hasText: profileName }).first().waitFor({ timeout: 90_000 });

      // 1. Show Flame Graph from the command palette
      await runPaletteCommand(page, 'Hotspot Lens: Show Flame Graph');
      let frame = await flameFrame(page, profileName);
      perf.samplePaintMs = Number(
        await frame.evaluate(() => document.getElementById('flame-app')?.dataset.firstPaintMs),
      );
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(resultsDir, `flame-${theme}.png`) });

      // 2. a search highlights its matches and reports their share
      const pattern = 'clone';
      const expected = searchTree(
        tree,
        matchFunctions(
          f.names.map((n, i) => (n === f.fullNames[i] ? n : `${n}\n${f.fullNames[i]}`)),
          pattern,
        ),
      );
      await frame.locator('input.search').fill(pattern);
      const info = frame.locator('.search-info');
      await info.filter({ hasText: 'matched' }).waitFor({ timeout: 10_000 });
      const infoText = (await info.textContent()) ?? '';
      const share = formatShare(expected.weight, tree.total[0]);
      if (!infoText.startsWith(`matched ${share} of total`))
        failures.push(`search "${pattern}": "${infoText}", expected "matched ${share} of total…"`);
      await page.screenshot({ path: path.join(resultsDir, `flame-search-${theme}.png`) });
      await frame.locator('input.search').fill('');
      await frame.waitForFunction(() => document.querySelector('.search-info')?.textContent === '', null, {
        timeout: 10_000,
      });

      // 3. a double-click on a frame (coordinates from the layout) opens its file and line
      const pane = frame.locator('.pane').first();
      const width = await pane.evaluate((e) => Math.max(100, e.clientWidth));
      const layout = layoutFlame(tree, { zoom: 0, width, rowHeight: ROW_HEIGHT, orientation: 'flame' });
      const r = rectOf(layout, target);
      if (!r) failures.push(`frame ${f.names[targetFunc]} is not drawn`);
      else {
        await frame
          .locator('canvas.frames')
          .first()
          .dblclick({ position: { x: r.x + Math.min(r.width / 2, 40), y: r.y + r.height / 2 } });
        const file = path.basename(f.files[targetFunc]);
        const tab = page.locator('.tabs-container .tab.active', { hasText: file });
        await tab.first().waitFor({ timeout: 15_000 });
        const where = page.locator('.statusbar-item[id="status.editor.selection"]');
        await where
          .filter({ hasText: `Ln ${f.lines[targetFunc]},` })
          .first()
          .waitFor({ timeout: 10_000 });
        await page.waitForTimeout(300);
        await page.screenshot({ path: path.join(resultsDir, `flame-open-${theme}.png`) });
        console.log(
          `[ui:flame:${theme}] double-click on ${f.names[targetFunc]} at (${r.x.toFixed(0)}, ${r.y.toFixed(0)}) opened ${f.files[targetFunc]}:${f.lines[targetFunc]}`,
        );
      }

      // 4. the differential flame graph against a baseline (clones slower, drops faster)
      await runPaletteCommand(page, 'Hotspot Lens: Show Differential Flame Graph…');
      await page.locator('.quick-input-widget', { hasText: 'choose the baseline profile' }).waitFor();
      await pickQuickPickRow(page, 'profiles/baseline.perf');
      frame = await flameFrame(page, profileName, true);
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(resultsDir, `flame-diff-${theme}.png`) });
      const legend = await frame.locator('.legend').textContent();
      if (!/slower/.test(legend ?? '')) failures.push(`no differential legend: ${legend}`);

      // 5. first paint and repaints of a 100,000-node profile in the real webview (custom editor)
      await page.keyboard.press('Control+p');
      await page.locator('.quick-input-widget input').fill('big.folded');
      await pickQuickPickRow(page, 'big.folded');
      await page.locator('.tabs-container .tab.active', { hasText: 'big.folded' }).first().waitFor();
      await runPaletteCommand(page, 'Reopen Editor With', /Reopen Editor With\.\.\.$/);
      await pickQuickPickRow(page, /^Hotspot Lens Flame Graph/);
      frame = await flameFrame(page, 'big.folded', false, 180_000);
      const box = await frame.locator('canvas.frames').first().boundingBox();
      if (box) {
        const bottom = Math.min(box.y + box.height, 990);
        for (let k = 0; k < 30; k++) await page.mouse.move(box.x + 20 + k * 23, bottom - 10 - (k % 12) * 18);
        await page.mouse.click(box.x + 60, bottom - 2.5 * ROW_HEIGHT);
        await page.waitForTimeout(200);
      }
      Object.assign(
        perf,
        await frame.evaluate(() => {
          const d = document.getElementById('flame-app')?.dataset ?? {};
          return {
            bigNodes: Number(d.nodes),
            bigNodesDrawn: Number(d.rects),
            bigFirstPaintMs: Number(d.firstPaintMs),
            bigZoomRepaintMs: Number(d.lastPaintMs),
            bigMaxHoverRepaintMs: Number(d.maxOverlayMs),
          };
        }),
      );
      await page.screenshot({ path: path.join(resultsDir, `flame-big-${theme}.png`) });
      fs.writeFileSync(
        path.join(resultsDir, `flame-perf-${theme}.json`),
        `${JSON.stringify(perf, null, 2)}\n`,
      );
      console.log(`[ui:flame:${theme}] webview timings (ms, not asserted): ${JSON.stringify(perf)}`);
    },
  );
  console.log(
    `[ui:flame:${theme}] ${failures.length === 0 ? 'passed' : 'FAILED'}; screenshots ${path.relative(repoRoot, resultsDir)}/flame-*-${theme}.png`,
  );
  return failures;
}
