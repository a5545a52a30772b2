import type * as vscode from 'vscode';

/** Activates Hotspot Lens: the one composition root. */
export function activate(_context: vscode.ExtensionContext): void {}

/** Nothing to do: every resource is in `context.subscriptions`. */
export function deactivate(): void {}
