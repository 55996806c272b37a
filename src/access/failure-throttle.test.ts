import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { FailureThrottle } from './failure-throttle.ts';

describe.each(DIALECTS)('failure throttle on %s', (dialect) => {
  const t = useTestDb(dialect);

  it('refuses an address after repeated failures until the window passes, leaving others alone', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const throttle = new FailureThrottle('test', 3, 60_000, () => now);
    for (let i = 0; i < 2; i++) await throttle.recordFailure(t.store.db, '203.0.113.9');
    expect(await throttle.retryAfter(t.store.db, '203.0.113.9')).toBe(0);
    await throttle.recordFailure(t.store.db, '203.0.113.9');
    expect(await throttle.retryAfter(t.store.db, '203.0.113.9')).toBe(60_000);
    expect(await throttle.retryAfter(t.store.db, '198.51.100.1')).toBe(0);
    now += 30_000;
    expect(await throttle.retryAfter(t.store.db, '203.0.113.9')).toBe(30_000);
    now += 30_001;
    expect(await throttle.retryAfter(t.store.db, '203.0.113.9')).toBe(0);
  });

  it('counts the failures another process recorded, and keeps kinds of failure apart', async () => {
    const now = () => Date.parse('2026-12-01T11:00:00Z');
    const here = new FailureThrottle('api_key', 2, 60_000, now);
    const elsewhere = new FailureThrottle('api_key', 2, 60_000, now);
    const signIns = new FailureThrottle('sign_in', 2, 60_000, now);
    await here.recordFailure(t.store.db, '192.0.2.1');
    await elsewhere.recordFailure(t.store.db, '192.0.2.1');
    expect(await here.retryAfter(t.store.db, '192.0.2.1')).toBe(60_000);
    expect(await signIns.retryAfter(t.store.db, '192.0.2.1')).toBe(0);
  });
});
