import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { importFromCpuprofile } from '../../../src/core/importers/cpuprofile';
import { readCpuprofileBytes } from '../../../src/core/importers/cpuprofile-reader';
import { ImportError } from '../../../src/core/importers/import-error';
import { inputFromBytes } from '../../../src/core/importers/input';
import { toFolded } from '../../../src/core/profile/aggregate';
import { fixturePath } from '../helpers/golden';

const enc = new TextEncoder();
const read = (text: string) => readCpuprofileBytes(enc.encode(text), 'V8 .cpuprofile', 'big.cpuprofile');

/** What the reader gives for a JSON.parse result: samples as a Float64Array, no timeDeltas. */
function asRead(json: Record<string, unknown>): Record<string, unknown> {
  const { timeDeltas: _unused, ...rest } = json;
  return Array.isArray(json.samples)
    ? { ...rest, samples: Float64Array.from(json.samples as number[]) }
    : rest;
}

function rejects(text: string, pattern: RegExp): void {
  assert.throws(
    () => read(text),
    (e: unknown) => {
      assert.ok(e instanceof ImportError, String(e));
      assert.match(e.message, /^big\.cpuprofile: cannot read as V8 \.cpuprofile: /);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

describe('.cpuprofile byte reader (files past the string limit)', () => {
  const dir = fixturePath('profiles', 'cpuprofile');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));

  it('reads every node --cpu-prof fixture as JSON.parse does (samples as numbers, timeDeltas checked, not kept)', () => {
    assert.ok(files.length >= 2);
    for (const f of files) {
      const bytes = fs.readFileSync(`${dir}/${f}`);
      assert.deepEqual(
        readCpuprofileBytes(bytes, 'V8 .cpuprofile', f),
        asRead(JSON.parse(bytes.toString('utf8'))),
        f,
      );
    }
  });

  it('imports every fixture to the same profile as the whole-text path', async () => {
    for (const f of files) {
      const bytes = fs.readFileSync(`${dir}/${f}`);
      const whole = await importFromCpuprofile(inputFromBytes(f, bytes));
      const streamed = await importFromCpuprofile(
        inputFromBytes(f, bytes),
        {},
        { stream: false, byteReaderThreshold: 0 },
      );
      assert.equal(toFolded(streamed), toFolded(whole), f);
      assert.deepEqual(streamed.lineCosts, whole.lineCosts, f);
      assert.deepEqual(streamed.meta, whole.meta, f);
    }
  });

  it('handles whitespace, escapes, brackets inside strings, a BOM and every JSON number form', () => {
    const text =
      '\uFEFF {\n "nodes" : [ {"id":1,"callFrame":{"functionName":"a \\"[{\\" \\\\ ]}","url":"é"}} ] ,' +
      '"samples":[ 1 ,2,-0, 3e0 ,1.5E+1, -7 ],"timeDeltas":[],"startTime":1.5,"other":{"x":[1,{"y":"]"}]}}\n';
    const got = read(text);
    assert.deepEqual(got, asRead(JSON.parse(text.slice(1))));
    assert.deepEqual([...(got.samples as Float64Array)], [1, 2, -0, 3, 15, -7]);
  });

  it('keeps integers past 15 digits exact as JSON.parse does', () => {
    const text = '{"nodes":[],"samples":[1234567890123456789,9007199254740993]}';
    assert.deepEqual(read(text), asRead(JSON.parse(text)));
  });

  it('names the byte of the first syntax error', () => {
    rejects('[1,2]', /expected a JSON object.*\(byte 0\)/);
    rejects('{"nodes":[{"id":1}', /not closed/);
    rejects('{"nodes":[],"samples":[1,2 x]}', /expected "," or "\]" \(byte 27\)$/);
    rejects('{"nodes":[],"samples":[1,"two"]}', /expected a number \(byte 25\)$/);
    rejects('{"nodes":[],"samples":[01]}', /not valid JSON: .* \(byte 24\)$/);
    rejects('{"nodes":[] "samples":[]}', /expected "," or "\}" \(byte 12\)$/);
    rejects('{"nodes":[],"timeDeltas":[1,x]}', /not valid JSON: .* \(byte 28\)$/);
    rejects('{"nodes":[]} trailing', /unexpected data after the profile \(byte 13\)$/);
    rejects('{"nodes":[{"id":1,}]}', /not valid JSON: .* \(byte 18\)$/);
  });
});
