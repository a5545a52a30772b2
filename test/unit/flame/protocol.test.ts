import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webviewMessageSchema } from '../../../src/vscode/flame-graph/protocol';

describe('flame graph webview messages', () => {
  const ok = (m: unknown) => webviewMessageSchema.safeParse(m).success;

  it('accepts the messages the webview sends', () => {
    assert.ok(ok({ type: 'ready' }));
    assert.ok(ok({ type: 'open', func: 3 }));
    assert.ok(ok({ type: 'open', func: 0, table: 'baseline' }));
    assert.ok(ok({ type: 'select', func: 12 }));
    assert.ok(ok({ type: 'painted', phase: 'first', ms: 12.5, rects: 800 }));
    assert.ok(ok({ type: 'testResult', id: 1, result: { nodes: 3 } }));
    assert.ok(
      ok({ type: 'options', orientation: 'icicle', collapseLibraryFrames: true, colorBlindSafe: false }),
    );
    const parsed = webviewMessageSchema.parse({ type: 'open', func: 3 });
    assert.deepEqual(parsed, { type: 'open', func: 3, table: 'current' });
  });

  it('rejects paths, unknown fields, bad indices and unknown types', () => {
    assert.ok(!ok({ type: 'open', func: 3, file: '/etc/passwd' }));
    assert.ok(!ok({ type: 'open', file: 'src/main.rs', line: 3 }));
    assert.ok(!ok({ type: 'open', func: -1 }));
    assert.ok(!ok({ type: 'open', func: 1.5 }));
    assert.ok(!ok({ type: 'open', func: '3' }));
    assert.ok(!ok({ type: 'open', func: 3, table: 'other' }));
    assert.ok(!ok({ type: 'select' }));
    assert.ok(!ok({ type: 'painted', phase: 'first', ms: Number.NaN, rects: 1 }));
    assert.ok(
      !ok({ type: 'options', orientation: 'sideways', collapseLibraryFrames: true, colorBlindSafe: false }),
    );
    assert.ok(!ok({ type: 'runCommand', command: 'workbench.action.terminal.new' }));
    assert.ok(!ok(null));
    assert.ok(!ok('open'));
  });
});
