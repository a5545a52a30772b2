/**
 * `npm start` without a desktop VS Code: installs the packaged extension into a
 * code-server (VS Code 1.139.1) kept in .vscode-test/, opens the given folder and
 * prints the URL to open in a browser. Ctrl+C stops it.
 *
 *   node --import tsx test/harness/serve.ts FOLDER [FILE]   (FILE: opened in the editor)
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  cacheDir,
  codeServerCli,
  ensureInstalled,
  flavors,
  quietSettings,
  remoteUri,
  startCodeServer,
  workbenchUrl,
} from './code-server';
import { packageVsix } from './vsix';

async function main(): Promise<void> {
  const folder = path.resolve(process.argv[2] ?? '.');
  ensureInstalled('newest');
  const flavor = flavors.newest;
  // persistent dirs, so the user's layout and settings survive restarts
  const base = path.join(cacheDir, 'start');
  const dirs = {
    base,
    userDataDir: path.join(base, 'user-data'),
    extensionsDir: path.join(base, 'extensions'),
  };
  fs.mkdirSync(path.join(dirs.userDataDir, 'User'), { recursive: true });
  const settings = path.join(dirs.userDataDir, 'User', 'settings.json');
  if (!fs.existsSync(settings)) {
    fs.writeFileSync(
      settings,
      JSON.stringify({ ...quietSettings, 'workbench.startupEditor': 'none' }, null, 2),
    );
  }
  const vsix = packageVsix();
  codeServerCli(flavor, dirs, ['--force', '--install-extension', vsix]);
  process.env.HOTSPOT_LENS_KEEP_RUNS = '1';
  const server = await startCodeServer(flavor, dirs, { folder });
  const file = process.argv[3] ? path.resolve(process.argv[3]) : undefined;
  const url = file
    ? workbenchUrl(server.url, folder, [['openFile', remoteUri(server.url, file)]])
    : workbenchUrl(server.url, folder);
  console.log(
    `\nHotspot Lens is running in VS Code ${flavor.vscodeVersion} (code-server).\nOpen ${url}\nin a browser. Ctrl+C stops it.\n`,
  );
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => {});
}

main().catch((e) => {
  console.error('[start]', e instanceof Error ? e.message : e);
  process.exit(1);
});
