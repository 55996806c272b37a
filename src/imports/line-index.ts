// Which line of an import file first used a key (a folded name or serial): duplicate detection for
// files of millions of rows in a few dozen megabytes. A Map of strings took about 200 bytes a row;
// this keeps two independent 32-bit hashes and a line number per key (12 bytes a slot) in typed
// arrays. Two different keys agreeing on all 64 bits is about a one-in-ten-million chance for a
// file of a million rows.
export class LineIndex {
  private h1: Uint32Array;
  private h2: Uint32Array;
  private lines: Int32Array;
  private count = 0;

  constructor(capacity = 1024) {
    this.h1 = new Uint32Array(capacity);
    this.h2 = new Uint32Array(capacity);
    this.lines = new Int32Array(capacity);
  }

  /** The line that first used `key`; otherwise records it for `line` (1 or more) and returns undefined. */
  claim(key: string, line: number): number | undefined {
    const [a, b] = hashes(key);
    const mask = this.lines.length - 1;
    for (let i = a & mask; ; i = (i + 1) & mask) {
      if (this.lines[i] === 0) {
        this.h1[i] = a;
        this.h2[i] = b;
        this.lines[i] = line;
        if (++this.count * 2 > this.lines.length) this.grow();
        return undefined;
      }
      if (this.h1[i] === a && this.h2[i] === b) return this.lines[i];
    }
  }

  private grow(): void {
    const old = { h1: this.h1, h2: this.h2, lines: this.lines };
    const size = old.lines.length * 2;
    this.h1 = new Uint32Array(size);
    this.h2 = new Uint32Array(size);
    this.lines = new Int32Array(size);
    const mask = size - 1;
    for (let j = 0; j < old.lines.length; j++) {
      if (old.lines[j] === 0) continue;
      let i = old.h1[j]! & mask;
      while (this.lines[i] !== 0) i = (i + 1) & mask;
      this.h1[i] = old.h1[j]!;
      this.h2[i] = old.h2[j]!;
      this.lines[i] = old.lines[j]!;
    }
  }
}

/** FNV-1a and a multiply-xorshift hash over the UTF-16 code units, each finished with an avalanche step. */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [mix(a), mix(b ^ key.length)];
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
