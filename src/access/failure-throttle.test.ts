import { describe, expect, it } from 'vitest';
import { FailureThrottle } from './failure-throttle.ts';

describe('failure throttle', () => {
  it('refuses an address after repeated failures until the window passes, leaving others alone', () => {
    let now = 1_000_000;
    const throttle = new FailureThrottle(3, 60_000, () => now);
    for (let i = 0; i < 2; i++) throttle.recordFailure('203.0.113.9');
    expect(throttle.retryAfter('203.0.113.9')).toBe(0);
    throttle.recordFailure('203.0.113.9');
    expect(throttle.retryAfter('203.0.113.9')).toBe(60_000);
    expect(throttle.retryAfter('198.51.100.1')).toBe(0);
    now += 30_000;
    expect(throttle.retryAfter('203.0.113.9')).toBe(30_000);
    now += 30_001;
    expect(throttle.retryAfter('203.0.113.9')).toBe(0);
  });
});
