// The duplicate index of the import: every key is remembered with its first line, across growth.
import { describe, expect, it } from 'vitest';
import { LineIndex } from './line-index.ts';

describe('line index', () => {
  it('returns the first line of a repeated key and nothing for new ones, through many growths', () => {
    const index = new LineIndex(4);
    for (let i = 0; i < 100_000; i++) expect(index.claim(`1:pc-${i}`, i + 2)).toBeUndefined();
    expect(index.claim('1:pc-0', 999_999)).toBe(2);
    expect(index.claim('1:pc-99999', 999_999)).toBe(100_001);
    expect(index.claim('2:pc-0', 5)).toBeUndefined();
    expect(index.claim('1:Pc-0', 6)).toBeUndefined();
  });
});
