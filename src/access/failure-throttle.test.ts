import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { FailureThrottle } from './failure-throttle.ts';

describe.each(DIALECTS)('failure throttle on %s', (dialect) => {
  const t = useTestDb(dialect);

  it('refuses an address after repeated failures until the window passes, leaving others alone', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const throttle = new FailureThrottle('test', 3, 60_000, () => now);
    const fail = async (subject: string) => (await throttle.attempt(t.store.db, subject)).refusedForMs;
    expect([await fail('203.0.113.9'), await fail('203.0.113.9'), await fail('203.0.113.9')]).toEqual([0, 0, 0]);
    expect(await fail('203.0.113.9')).toBe(60_000);
    expect(await fail('198.51.100.1')).toBe(0);
    now += 30_000;
    // A refused attempt does not count: the wait still ends a minute after the third failure.
    expect(await fail('203.0.113.9')).toBe(30_000);
    now += 30_001;
    expect(await fail('203.0.113.9')).toBe(0);
  });

  it('takes back an attempt that succeeded, and counts attempts made by another process or server', async () => {
    const now = () => Date.parse('2026-12-01T11:00:00Z');
    const here = new FailureThrottle('api_key', 2, 60_000, now);
    const elsewhere = new FailureThrottle('api_key', 2, 60_000, now);
    const signIns = new FailureThrottle('sign_in', 2, 60_000, now);
    await (await here.attempt(t.store.db, '192.0.2.1')).succeeded();
    await here.attempt(t.store.db, '192.0.2.1');
    await elsewhere.attempt(t.store.db, '192.0.2.1');
    expect((await here.attempt(t.store.db, '192.0.2.1')).refusedForMs).toBe(60_000);
    expect((await signIns.attempt(t.store.db, '192.0.2.1')).refusedForMs).toBe(0);
  });

  it('lets no more than the limit through when a burst of guesses arrives at once', async () => {
    const throttle = new FailureThrottle('burst', 5, 60_000);
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => throttle.attempt(t.store.db, '203.0.113.50')));
    expect(outcomes.filter((o) => o.refusedForMs === 0)).toHaveLength(5);
  });
});
