/**
 * Test-runner entry point loaded by the extension host (`extensionTestsPath`):
 * the same contract as `@vscode/test-electron` — export `run(): Promise<void>`.
 * Runs every bundled suite in `suite/` with mocha (11: CommonJS).
 */
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const dir = path.join(__dirname, 'suite');
  const only = process.env.HOTSPOT_LENS_SUITE;
  // restricted-*.test.js run only in the harness's Restricted Mode window (untrusted folder),
  // startup-*.test.js only in its window whose settings configure an SVG profile; the rest
  // only in the main window (see test/harness/run-editor-tests.ts)
  const window = process.env.HOTSPOT_LENS_WINDOW ?? 'main';
  const windowOf = (f: string) =>
    f.startsWith('restricted') ? 'restricted' : f.startsWith('startup') ? 'startup' : 'main';
  for (const f of fs.readdirSync(dir).sort()) {
    if (!f.endsWith('.test.js') || windowOf(f) !== window) continue;
    // bench-*.test.js are benchmarks (bench/editor-load-bench.ts): only when named
    if (f.startsWith('bench') ? only && f.includes(only) : !only || f.includes(only))
      mocha.addFile(path.join(dir, f));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log(`[hotspot-lens tests] ${failures ? `${failures} failing` : 'all passing'}`);
      if (failures) reject(new Error(`${failures} tests failed`));
      else resolve();
    });
  });
}
