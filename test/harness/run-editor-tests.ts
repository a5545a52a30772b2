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

const NOISE =
  /^(Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|Updating additional builtin|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]|Started local extension host|Extension host .* started|Ignoring fetching additional builtin)/;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/**
 * Runs the suites on one flavour. `restricted`: Workspace Trust stays on and the
 * folder is not trusted (Restricted Mode); only the `restricted-*` suites run.
 */
async function runOn(flavor: Flavor, restricted = false): Promise<number> {
  const t0 = Date.now();
  const testsPath = path.join(repoRoot, 'out/test/integration/index.js');
  if (!fs.existsSync(testsPath))
    throw new Error(`${testsPath} is missing: run "node scripts/build.mjs" first`);
  const tag = restricted ? `${flavor.id}-restricted` : flavor.id;
  const folder = copyWorkspace(sampleWorkspace(), tag);
  const dirs = freshDirs(`test-${tag}`, restricted ? { 'security.workspace.trust.enabled': true } : {});
  const logDir = path.join(resultsDir, `editor-${tag}`);
  fs.mkdirSync(logDir, { recursive: true });
  const server = await startCodeServer(flavor, dirs, {
    extraArgs: flavor.smokeFlag ? ['--vscode-option', 'enable-smoke-test-driver'] : [],
    env: {
      HOTSPOT_LENS_TEST_FLAVOR: flavor.id,
      HOTSPOT_LENS_TEST_RESULTS: logDir,
      HOTSPOT_LENS_RESTRICTED: restricted ? '1' : '0',
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
  for (const f of list) worst = Math.max(worst, await runOn(f));
  // Restricted Mode: the newest VS Code with Workspace Trust on and the folder untrusted
  if (!process.env.HOTSPOT_LENS_SUITE || process.env.HOTSPOT_LENS_SUITE === 'restricted') {
    worst = Math.max(worst, await runOn(list[0], true));
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
