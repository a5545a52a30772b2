import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Compares `actual` with the golden file at `goldenPath` (repo-relative or absolute).
 * With `UPDATE_GOLDEN=1` in the environment the golden file is (re)written instead,
 * so a reviewer sees every change to expected output as a diff in the commit.
 * @throws AssertionError when the golden file is missing or differs
 */
export function assertGolden(goldenPath: string, actual: string): void {
  const file = path.resolve(goldenPath);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(
    fs.existsSync(file),
    `golden file ${goldenPath} is missing: run with UPDATE_GOLDEN=1 to create it`,
  );
  assert.equal(
    actual,
    fs.readFileSync(file, 'utf8'),
    `output differs from ${goldenPath} (UPDATE_GOLDEN=1 rewrites it)`,
  );
}

/** Absolute path of a file under test/fixtures. */
export function fixturePath(...parts: string[]): string {
  return path.resolve(__dirname, '..', '..', 'fixtures', ...parts);
}
