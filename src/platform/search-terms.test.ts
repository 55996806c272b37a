// How a pasted search term is read: MACs and pieces of them in every notation as bare hex, addresses
// with a prefix length as the address, anything else as typed.
import { describe, expect, it } from 'vitest';
import { addressOf, macHex, searchTermVariants } from './search-terms.ts';

describe('search terms', () => {
  it('reads a whole MAC in any notation as bare hex', () => {
    for (const mac of ['00-15-5D-01-02-03', '00:15:5d:01:02:03', '0015.5d01.0203', '0015.5D01.0203']) expect(macHex(mac), mac).toBe('00155d010203');
  });

  it('reads a piece of a MAC, cut anywhere at its ends', () => {
    expect(macHex('5D-01-02')).toBe('5d0102');
    expect(macHex('D-01-0')).toBe('d010');
    expect(macHex('5d01.02')).toBe('5d0102');
    expect(macHex('01:02:03')).toBe('010203');
  });

  it('leaves alone what is not a MAC: addresses, dates, names, mixed separators', () => {
    for (const text of ['10.0.0.5', 'fe80::1', '2026-12-07', 'HP-1234', '00:15-5d', '5d-1-02', 'abc', '00155d010203']) expect(macHex(text), text).toBeNull();
  });

  it('reads an address with a prefix length as the address', () => {
    expect(addressOf('10.0.0.5/24')).toBe('10.0.0.5');
    expect(addressOf(' fe80::1/64 ')).toBe('fe80::1');
    expect(addressOf('10.0.0.5/33')).toBeNull();
    expect(addressOf('10.0.0/24')).toBeNull();
    expect(addressOf('a/b')).toBeNull();
  });

  it('gives the forms to look for', () => {
    expect(searchTermVariants(' 00-15-5D-01 ')).toEqual(['00-15-5D-01', '00155d01']);
    expect(searchTermVariants('10.0.0.5/24')).toEqual(['10.0.0.5']);
    expect(searchTermVariants('00155d')).toEqual(['00155d']);
    expect(searchTermVariants('Müller')).toEqual(['Müller']);
  });
});
