import { describe, expect, it } from 'vitest';
import { plural } from './plural.ts';

describe('plural', () => {
  it('says "1 asset", "3 assets", "0 assets" and groups thousands', () => {
    expect([plural(1, 'asset'), plural(3, 'asset'), plural(0, 'asset'), plural(1204, 'row')]).toEqual(['1 asset', '3 assets', '0 assets', '1,204 rows']);
    expect([plural(1, 'process', 'processes'), plural(2, 'process', 'processes')]).toEqual(['1 process', '2 processes']);
  });
});
