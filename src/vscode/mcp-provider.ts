import * as vscode from 'vscode';
import type { Logger } from './logger';
import type { Session } from './session';

/** Id of the provider (package.json `contributes.mcpServerDefinitionProviders[].id`). */
export const MCP_PROVIDER_ID = 'hotspotLens.mcp';

/**
 * The part of the MCP server definition API (VS Code 1.101+) this file uses. Our floor is 1.100,
 * whose typings lack it: it is reached through this narrow type, after checking it exists.
 */
interface McpDefinitionApi {
  registerMcpServerDefinitionProvider(
    id: string,
    provider: {
      readonly onDidChangeMcpServerDefinitions?: vscode.Event<void>;
      provideMcpServerDefinitions(token: vscode.CancellationToken): vscode.ProviderResult<unknown[]>;
    },
  ): vscode.Disposable;
}

/** `vscode.McpStdioServerDefinition`'s constructor (1.101+). */
type McpStdioServerDefinitionCtor = new (
  label: string,
  command: string,
  args?: string[],
  env?: Record<string, string | number | null>,
  version?: string,
) => unknown;

/** How VS Code starts the server: a command line of the bundled CLI. */
export interface McpLaunch {
  readonly command: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  /** Changes whenever the arguments change, so VS Code restarts the server. */
  readonly version: string;
}

/**
 * The `hotspot-lens mcp` command line for the session's files: the workspace folder as
 * `--root`, the loaded profile, the baseline (when it is still a file of its own) and the first
 * loaded plan; run by the extension host's own runtime (`ELECTRON_RUN_AS_NODE` for Electron).
 * @returns undefined without a local workspace folder
 */
export function mcpLaunch(
  session: Session,
  extensionUri: vscode.Uri,
  extensionVersion: string,
): McpLaunch | undefined {
  const folder = session.profile?.folder ?? vscode.workspace.workspaceFolders?.[0];
  if (folder?.uri.scheme !== 'file') return undefined;
  const args = [
    vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath,
    'mcp',
    '--root',
    folder.uri.fsPath,
  ];
  const p = session.profile;
  if (p?.uri.scheme === 'file') args.push('--profile', p.uri.fsPath);
  const b = session.baseline;
  // after a re-profile the baseline is the file's earlier content: no file to give the server
  if (b?.uri.scheme === 'file' && b.uri.toString() !== p?.uri.toString())
    args.push('--baseline', b.uri.fsPath);
  const plan = session.plans[0];
  if (plan?.uri.scheme === 'file') args.push('--plan', plan.uri.fsPath);
  let h = 0;
  for (const ch of args.join('\u0000')) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return {
    command: process.execPath,
    args,
    env: { ELECTRON_RUN_AS_NODE: '1' },
    version: `${extensionVersion}+${(h >>> 0).toString(16)}`,
  };
}

/**
 * Contributes `hotspot-lens mcp` as an MCP server definition where the running VS Code supports
 * it (feature-detected; package.json declares the provider under both the final contribution
 * point, `mcpServerDefinitionProviders`, and 1.100's `modelContextServerCollections`). When the
 * API is missing or refuses the registration, the log says so and activation goes on. The server
 * follows the session: a new profile, baseline or plan restarts it with the new files. Only in a
 * trusted workspace (it runs a program): in Restricted Mode the provider offers nothing until
 * trust is granted.
 * @returns the registrations (the caller disposes them)
 */
export function registerMcpServerDefinitions(
  session: Session,
  extensionUri: vscode.Uri,
  extensionVersion: string,
  log: Logger,
): vscode.Disposable[] {
  const api = vscode.lm as unknown as Partial<McpDefinitionApi>;
  const Definition = (vscode as unknown as { McpStdioServerDefinition?: McpStdioServerDefinitionCtor })
    .McpStdioServerDefinition;
  if (typeof api.registerMcpServerDefinitionProvider !== 'function' || typeof Definition !== 'function') {
    log.info(
      `VS Code ${vscode.version} cannot take MCP server definitions from extensions: the language-model tools are there; agents outside VS Code can run \`hotspot-lens mcp\``,
    );
    return [];
  }
  const changed = new vscode.EventEmitter<void>();
  let provider: vscode.Disposable;
  try {
    provider = api.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: () => {
        if (!vscode.workspace.isTrusted) return [];
        const launch = mcpLaunch(session, extensionUri, extensionVersion);
        return launch
          ? [new Definition('Hotspot Lens', launch.command, launch.args, launch.env, launch.version)]
          : [];
      },
    });
  } catch (e) {
    // an API of another shape than this code knows (1.100 had one before it was final):
    // the agents keep the language-model tools; activation goes on
    changed.dispose();
    log.warn(
      `VS Code ${vscode.version}: the MCP server definition was not registered: ${e instanceof Error ? e.message : e}`,
    );
    return [];
  }
  return [
    changed,
    provider,
    session.onDidChange((what) => {
      if (what !== 'annotations') changed.fire();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
  ];
}
