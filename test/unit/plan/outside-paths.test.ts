import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePlan } from '../../../src/core/plan';

describe('parsePlan: locations outside the workspace', () => {
  it('takes escaping and absolute paths as locations whatever their extension, marked outside', () => {
    const plan = parsePlan(
      '# Plan\n\n## Phase 1: Paths\n\n- [ ] read `../../etc/passwd`\n- [ ] and `/etc/hostname`\n- [ ] and `~/.cargo/config`\n- [ ] and `src/model/value.rs`\n- [ ] not `/` nor `a/b` nor `--flag`\n',
    );
    assert.deepEqual(
      plan.locations.map((l) => [l.path, l.isOutside]),
      [
        ['../../etc/passwd', true],
        ['/etc/hostname', true],
        ['~/.cargo/config', true],
        ['src/model/value.rs', false],
      ],
    );
  });

  it('a relative path that stays inside is not outside', () => {
    const plan = parsePlan('## Step 1\n\n- [ ] `src/../src/main.rs`\n');
    assert.deepEqual(
      plan.locations.map((l) => [l.path, l.isOutside]),
      [['src/../src/main.rs', false]],
    );
  });
});
