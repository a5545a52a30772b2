import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOptions, topOption } from '../../../src/cli/cli-args';

describe('CLI options', () => {
  const spec = { profile: 'string', top: 'string', json: 'boolean' } as const;

  it('reads values and flags', () => {
    assert.deepEqual(parseOptions(['--profile', 'a.perf', '--json'], spec), {
      profile: 'a.perf',
      json: true,
    });
    assert.deepEqual(parseOptions(['--profile=a.perf'], spec), { profile: 'a.perf' });
  });

  it('says which argument is wrong', () => {
    assert.equal(parseOptions(['--nope'], spec), 'unknown argument "--nope"');
    assert.equal(parseOptions(['stray'], spec), 'unknown argument "stray"');
    assert.equal(parseOptions(['--profile'], spec), '--profile needs a value');
  });

  it('--top is a positive integer', () => {
    assert.equal(topOption(undefined, 20), 20);
    assert.equal(topOption('5', 20), 5);
    assert.equal(topOption('0', 20), '--top must be a positive integer');
    assert.equal(topOption('x', 20), '--top must be a positive integer');
  });
});
