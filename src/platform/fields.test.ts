import { describe, expect, it } from 'vitest';
import { IssueList } from './errors.ts';
import { normaliseMac, optionalDate, optionalIp, optionalIpv4OrDhcp, optionalIpv6, optionalMac, optionalText, requiredText } from './fields.ts';

function check<T>(fn: (issues: IssueList) => T): { value: T; issues: IssueList['issues'] } {
  const issues = new IssueList();
  const value = fn(issues);
  return { value, issues: issues.issues };
}

describe('dates', () => {
  it.each(['2024-02-29', '2026-11-27', '1999-12-31'])('accepts the real date %s', (d) => {
    expect(check((i) => optionalDate(i, 'purchaseDate', d))).toEqual({ value: d, issues: [] });
  });
  it.each([
    ['2023-05-14', '2023-05-14'],
    ['2023/05/14', '2023-05-14'],
    ['2023-5-4', '2023-05-04'],
    ['2024/1/5', '2024-01-05'],
    ['20230514', '2023-05-14'],
    [' 2023/05/14 ', '2023-05-14'],
  ])('reads %j, a form MariaDB takes, as %s', (input, stored) => {
    expect(check((i) => optionalDate(i, 'purchaseDate', input))).toEqual({ value: stored, issues: [] });
  });
  it.each(['', '0000-00-00', null, '  '])('reads %j as no date', (d) => {
    expect(check((i) => optionalDate(i, 'purchaseDate', d))).toEqual({ value: null, issues: [] });
  });
  it.each([
    ['2024-13-45', 'date_invalid'],
    ['2023-02-29', 'date_invalid'],
    ['2024-04-31', 'date_invalid'],
    ['2023/02/30', 'date_invalid'],
    ['20231301', 'date_invalid'],
    ['31/12/2024', 'date_format'],
    ['05/14/2023', 'date_format'],
    ['2023.05.14', 'date_format'],
    ['2023/05-14', 'date_format'],
    ['yesterday', 'date_format'],
  ])('rejects %s with an issue on the field, never a silent null', (d, code) => {
    const { issues } = check((i) => optionalDate(i, 'warrantyExpire', d));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ field: 'warrantyExpire', code });
    expect(issues[0]!.message).toContain(d);
  });
});

describe('MAC addresses', () => {
  it.each([
    ['aa:bb:cc:dd:ee:ff', 'AA:BB:CC:DD:EE:FF'],
    ['AA-BB-CC-DD-EE-0F', 'AA:BB:CC:DD:EE:0F'],
    ['aabb.ccdd.eeff', 'AA:BB:CC:DD:EE:FF'],
    ['aabbccddeeff', 'AA:BB:CC:DD:EE:FF'],
    [' 00:15:5d:01:02:03 ', '00:15:5D:01:02:03'],
  ])('stores %s as %s', (input, stored) => {
    expect(check((i) => optionalMac(i, 'mac', input))).toEqual({ value: stored, issues: [] });
  });
  it.each(['aa:bb:cc:dd:ee', 'aa:bb-cc:dd:ee:ff', 'gg:bb:cc:dd:ee:ff', 'aabbccddeeff00', 'not a mac'])('rejects %s', (input) => {
    expect(normaliseMac(input)).toBeNull();
    expect(check((i) => optionalMac(i, 'mac', input)).issues[0]).toMatchObject({ field: 'mac', code: 'mac_invalid' });
  });
});

describe('IP addresses', () => {
  it('accepts IPv4 and the word DHCP in any case', () => {
    expect(check((i) => optionalIpv4OrDhcp(i, 'ip', '192.168.1.10')).value).toBe('192.168.1.10');
    expect(check((i) => optionalIpv4OrDhcp(i, 'ip', 'dhcp')).value).toBe('DHCP');
  });
  it.each(['192.168.1.256', '10.0.0', 'fe80::1', 'server1'])('rejects %s as an IPv4 address', (ip) => {
    expect(check((i) => optionalIpv4OrDhcp(i, 'ip', ip)).issues[0]).toMatchObject({ field: 'ip', code: 'ip_invalid' });
  });
  it('accepts IPv6 (lower-cased) and rejects garbage', () => {
    expect(check((i) => optionalIpv6(i, 'ipv6', '2001:DB8::1')).value).toBe('2001:db8::1');
    expect(check((i) => optionalIpv6(i, 'ipv6', '2001:db8:::1')).issues[0]).toMatchObject({ field: 'ipv6' });
    expect(check((i) => optionalIp(i, 'natIp', '203.0.113.9')).value).toBe('203.0.113.9');
  });
});

describe('text', () => {
  it('trims, treats blank as none, and enforces the column length', () => {
    expect(check((i) => optionalText(i, 'model', '  T14  ', 200)).value).toBe('T14');
    expect(check((i) => optionalText(i, 'model', '   ', 200)).value).toBeNull();
    const long = check((i) => optionalText(i, 'model', 'x'.repeat(201), 200));
    expect(long.issues[0]).toMatchObject({ field: 'model', code: 'too_long' });
    expect(long.issues[0]!.message).toContain('200');
  });
  it('requires a required field', () => {
    expect(check((i) => requiredText(i, 'name', '', 200)).issues[0]).toMatchObject({ field: 'name', code: 'required' });
    expect(check((i) => requiredText(i, 'name', { bad: true }, 200)).issues[0]).toMatchObject({ field: 'name', code: 'type' });
  });
});
