import * as vscode from 'vscode';

/** The extension's log: one LogOutputChannel ("Hotspot Lens"), never `console.*`. */
export type Logger = vscode.LogOutputChannel;

/** Creates the output channel; the caller registers it for disposal. */
export function createLogger(): Logger {
  return vscode.window.createOutputChannel('Hotspot Lens', { log: true });
}

/**
 * Logs an error with its stack and shows a short notification; returns nothing.
 * @param what what failed, in words a user understands ("Loading profile.svg")
 */
export function reportError(log: Logger, what: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  log.error(`${what}: ${error instanceof Error && error.stack ? error.stack : message}`);
  void vscode.window.showErrorMessage(`Hotspot Lens: ${message}`, 'Show Output').then((choice) => {
    if (choice === 'Show Output') log.show(true);
  });
}
