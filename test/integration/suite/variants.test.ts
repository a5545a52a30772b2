import assert from 'node:assert/strict';
import { api, waitFor, wsUri } from '../helpers';

/**
 * The sample ships one recording in three forms (perf script, FlameGraph's folded
 * stacks and flame graph SVG, made from the same perf.data): the editor must mark the
 * same functions, with the same hint, whichever is loaded.
 */
describe('the same recording as perf script, folded stacks and flame graph SVG', () => {
  it('marks the same hot functions with the same hints', async () => {
    const { test } = await api();
    await waitFor('the sample profile to load', () => test.session.profile);
    const perf = test.session.profile!;
    const top = (a: typeof perf.analysis) =>
      a.hotspots
        .filter((h) => h.totalPercent >= 3)
        .map(
          (h) =>
            `${h.file}:${h.line} ${h.displayName} ${h.hints[0]?.category ?? '-'} ${h.totalPercent.toFixed(0)}%`,
        )
        .sort();
    const expected = top(perf.analysis);
    assert.ok(expected.length >= 10, JSON.stringify(expected));
    try {
      for (const variant of ['profiles/sample.folded', 'profiles/flamegraph.svg']) {
        assert.equal(await test.loadProfile(wsUri(variant)), true, variant);
        const got = top(test.session.profile!.analysis);
        assert.deepEqual(got, expected, `${variant} marks other functions than sample.perf`);
      }
    } finally {
      assert.equal(await test.loadProfile(perf.uri), true);
    }
  });
});
