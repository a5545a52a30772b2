/**
 * Runs the in-editor mocha suites (`test/integration/**`, bundled to
 * `out/test/integration/`) INSIDE the real extension host of code-server, the way
 * `@vscode/test-electron` does with `--extensionDevelopmentPath` and
 * `--extensionTestsPath`, but through the web workbench's URL `payload`.
 * The workbench reports the runner's result by calling `window.codeAutomationExit(code)`
 * and forwards the extension host's console (mocha's reporter) to `window.codeAutomationLog`.
 *
 *   node --import tsx test/harness/run-editor-tests.ts [--all-versions | --flavor newest|oldest]
 *
 * Exit code: 0 all suites passed on every flavour; 1 a failure; 2 a harness error or timeout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import {
  copyWorkspace,
  ensureInstalled,
  type Flavor,
  flavors,
  freshDirs,
  launchChromium,
  remoteUri,
  repoRoot,
  resultsDir,
  sampleWorkspace,
  startCodeServer,
  workbenchUrl,
} from './code-server';
import { recordPerfData } from './perf-data';

const NOISE =
  /^(Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|Updating additional builtin|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]|Started local extension host|Extension host .* started|Ignoring fetching additional builtin)/;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/**
 * Which window the suites run in:
 * - `main`: the sample workspace, trusted; every suite but the `restricted-*` and `startup-*` ones.
 * - `restricted`: Workspace Trust on and the folder untrusted (Restricted Mode); only `restricted-*`.
 * - `startup`: a copy of the sample whose only profile is its flame graph SVG, configured in
 *   `.vscode/settings.json`, and no file that a `workspaceContains` activation event names; nothing
 *   activates the extension but its own activation events; only `startup-*`.
 */
type WindowKind = 'main' | 'restricted' | 'startup';

/** The `startup` window's folder: the sample with its SVG as the only (configured) profile. */
function startupWorkspace(tag: string): string {
  const folder = copyWorkspace(sampleWorkspace(), tag);
  const profiles = path.join(folder, 'profiles');
  for (const f of fs.readdirSync(profiles))
    if (f !== 'flamegraph.svg') fs.rmSync(path.join(profiles, f), { recursive: true, force: true });
  fs.writeFileSync(
    path.join(folder, '.vscode', 'settings.json'),
    JSON.stringify(
      { 'hotspotLens.profile': 'profiles/flamegraph.svg', 'hotspotLens.plans': ['OPTIMIZATION_PLAN.md'] },
      null,
      2,
    ),
  );
  return folder;
}

let recorded: string | undefined;

/**
 * A perf.data the suites load (as a user's `perf.data`), recorded by this run from our own
 * program, so that it symbolizes on this machine (see ./perf-data.ts).
 */
function perfData(): string {
  if (!recorded) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotspot-lens-editor-perf-'));
    recorded = recordPerfData(dir).data;
  }
  return recorded;
}

/** Runs the suites of one window kind on one flavour. */
async function runOn(flavor: Flavor, kind: WindowKind = 'main'): Promise<number> {
  const t0 = Date.now();
  const restricted = kind === 'restricted';
  const testsPath = path.join(repoRoot, 'out/test/integration/index.js');
  if (!fs.existsSync(testsPath))
    throw new Error(`${testsPath} is missing: run "node scripts/build.mjs" first`);
  const tag = kind === 'main' ? flavor.id : `${flavor.id}-${kind}`;
  const folder = kind === 'startup' ? startupWorkspace(tag) : copyWorkspace(sampleWorkspace(), tag);
  const dirs = freshDirs(`test-${tag}`, restricted ? { 'security.workspace.trust.enabled': true } : {});
  const logDir = path.join(resultsDir, `editor-${tag}`);
  fs.mkdirSync(logDir, { recursive: true });
  const server = await startCodeServer(flavor, dirs, {
    extraArgs: flavor.smokeFlag ? ['--vscode-option', 'enable-smoke-test-driver'] : [],
    env: {
      HOTSPOT_LENS_TEST_FLAVOR: flavor.id,
      HOTSPOT_LENS_TEST_RESULTS: logDir,
      HOTSPOT_LENS_WINDOW: kind,
      HOTSPOT_LENS_PERF_DATA: perfData(),
    },
    verbose: !!process.env.CS_VERBOSE,
    workspaceTrust: restricted,
  });
  console.log(
    `[editor:${tag}] VS Code ${flavor.vscodeVersion} (code-server ${flavor.codeServerVersion}) at ${server.url}`,
  );
  const browser = await launchChromium();
  let code = 2;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let resolveExit: (c: number) => void = () => {};
    const exited = new Promise<number>((r) => {
      resolveExit = r;
    });
    // both must exist on window before the workbench loads
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const text = util.format(...(Array.isArray(args) ? args : [args]));
      if (!process.env.SHOW_ALL_LOGS && type !== 'error' && NOISE.test(text)) return;
      console.log(`[editor:${tag}] ${text}`);
    });
    await page.exposeFunction(
      'codeAutomationExit',
      (exitCode: number, logs?: { relativePath: string; contents: string }[]) => {
        for (const l of logs ?? []) {
          try {
            fs.writeFileSync(path.join(logDir, String(l.relativePath).replace(/[\\/]/g, '_')), l.contents);
          } catch {
            // a log we cannot write is not a test result
          }
        }
        resolveExit(Number(exitCode));
      },
    );
    await page.goto(
      workbenchUrl(server.url, folder, [
        ['extensionDevelopmentPath', remoteUri(server.url, repoRoot)],
        ['extensionTestsPath', remoteUri(server.url, testsPath)],
      ]),
    );
    const timeoutMs = Number(process.env.HOTSPOT_LENS_EDITOR_TIMEOUT_MS ?? 600_000);
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
    const result = await Promise.race([exited, timer]);
    if (result === 'timeout') {
      console.error(`[editor:${tag}] no result within ${timeoutMs} ms`);
      await page.screenshot({ path: path.join(logDir, 'timeout.png') }).catch(() => {});
    } else {
      code = result;
    }
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
  console.log(
    `[editor:${tag}] ${code === 0 ? 'passed' : code === 1 ? 'FAILED' : 'HARNESS ERROR'} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
  );
  return code;
}

async function main(): Promise<number> {
  const which = process.argv.includes('--all-versions')
    ? 'all'
    : ((arg('--flavor') ?? 'newest') as 'newest' | 'oldest');
  ensureInstalled(which);
  const list = which === 'all' ? [flavors.newest, flavors.oldest] : [flavors[which]];
  let worst = 0;
  const suite = process.env.HOTSPOT_LENS_SUITE;
  for (const f of list) {
    if (!suite || !/^(restricted|startup)/.test(suite)) worst = Math.max(worst, await runOn(f));
    // activation by the extension's own events, on every flavour: nothing else activates it there
    if (!suite || suite.startsWith('startup')) worst = Math.max(worst, await runOn(f, 'startup'));
  }
  // Restricted Mode: the newest VS Code with Workspace Trust on and the folder untrusted
  if (!suite || suite.startsWith('restricted')) {
    worst = Math.max(worst, await runOn(list[0], 'restricted'));
  }
  return worst;
}

main().then(
  (c) => process.exit(c),
  (e) => {
    console.error('[editor] harness error:', e);
    process.exit(2);
  },
);
