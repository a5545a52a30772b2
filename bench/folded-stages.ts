// Where the folded import's time goes, in stages (alone: `node --import tsx bench/folded-stages.ts FILE`;
// not part of `npm run bench`). Each stage does everything the one before does, and more:
//   lines    stream the file in blocks of whole lines and find every line end;
//   space    find each line's last space (where the weight starts);
//   hash     find every frame's end and hash its bytes, 4 at a time, as the importer does;
//   lookup   find every frame in a byte-keyed table (adding the new ones);
//   append   add each line's frame ids to a stack table (without hashing the stack);
//   import   the real importer (`importFromFolded`), which also reuses the frames a line
//            shares with the line before and reads the weights.
// Prints the best wall time of 5 runs per stage, in milliseconds. The README's performance
// section quotes it for the kit's shallow file (`gen.mjs folded … 1000000 --shallow`).

import { importFromFolded } from '../src/core/importers/folded';
import { ByteKeyTable, lineBlocks } from '../src/core/importers/folded-bytes';
import { FrameBuffer, StackTableBuilder } from '../src/core/profile/stack-table';
import { fileInput } from '../src/node/file-input';

type Stage = 'lines' | 'space' | 'hash' | 'lookup' | 'append';

/** One pass over `file` up to `stage`; returns a checksum so no work is optimized away. */
async function pass(file: string, stage: Stage): Promise<number> {
  let acc = 0;
  const keys = new ByteKeyTable();
  const table = new StackTableBuilder();
  const buf = new FrameBuffer();
  for await (const { bytes, start, end } of lineBlocks(fileInput(file))) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let s = start;
    while (s < end) {
      const lineStart = s;
      const e = bytes.indexOf(10, s);
      s = e + 1;
      acc++;
      if (stage === 'lines') continue;
      let sp = e - 1;
      while (sp >= lineStart && bytes[sp] !== 32) sp--;
      if (stage === 'space' || sp <= lineStart) continue;
      buf.length = 0;
      for (let p = lineStart; p < sp; ) {
        let q = p;
        let h = 0x2c1b3c6d;
        while (q < sp) {
          const word = view.getInt32(q, true);
          const x = word ^ 0x3b3b3b3b;
          const semi = (x - 0x01010101) & ~x & 0x80808080;
          let n = semi === 0 ? 4 : (31 - Math.clz32(semi & -semi)) >> 3;
          if (n > sp - q) n = sp - q;
          if (n === 4) {
            h = Math.imul(h ^ word, 0x01000193);
            q += 4;
            continue;
          }
          if (n > 0) h = Math.imul(h ^ (word & ((1 << (n << 3)) - 1)), 0x01000193);
          q += n;
          break;
        }
        const print = h ^ (h >>> 15);
        if (stage === 'hash') acc += print & 1;
        else {
          let k = keys.matchRange(view, p, q, print);
          if (k < 0) {
            keys.set(bytes, p, q, print, keys.size);
            k = keys.size - 1;
          }
          buf.push(keys.value(k));
        }
        p = q + 1;
      }
      if (stage === 'append') table.appendDistinct(buf.ids, buf.length, 0, 1, 1);
      else acc += buf.length;
    }
  }
  return acc + table.size;
}

async function best(run: () => Promise<unknown>): Promise<number> {
  let ms = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await run();
    ms = Math.min(ms, performance.now() - t);
  }
  return ms;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node --import tsx bench/folded-stages.ts FILE.folded');
  for (const stage of ['lines', 'space', 'hash', 'lookup', 'append'] as const)
    console.log(`${stage.padEnd(8)} ${(await best(() => pass(file, stage))).toFixed(0)} ms`);
  console.log(`${'import'.padEnd(8)} ${(await best(() => importFromFolded(fileInput(file)))).toFixed(0)} ms`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
