// The way into both APIs: a key checked (or found among this process's recent checks), with guessing
// slowed per address. A key this process checked lately is served at once; anything else first passes
// the failure throttle, so an address that has guessed too often is refused before its next guess is
// even looked at, while a caller with a good key never waits on the throttle's query.
import { ApiKeyCache, type ApiKeyAuth } from '../accounts/api-key.service.ts';
import type { Ctx } from '../platform/context.ts';
import { FailureThrottle } from './failure-throttle.ts';

export type GateOutcome = { kind: 'ok'; auth: ApiKeyAuth } | { kind: 'throttled'; retryAfterMs: number } | { kind: 'failed' };

export class ApiGate {
  private readonly keys = new ApiKeyCache();
  private readonly throttle = new FailureThrottle('api_key', 20, 60_000);

  async check(ctx: Ctx, secret: string, details: { endpoint?: string; userAgent?: string | null }): Promise<GateOutcome> {
    const cached = await this.keys.cached(ctx, secret);
    if (cached) return { kind: 'ok', auth: cached };
    const address = ctx.ip ?? 'unknown';
    const wait = await this.throttle.retryAfter(ctx.db, address);
    if (wait > 0) return { kind: 'throttled', retryAfterMs: wait };
    const auth = await this.keys.authenticate(ctx, secret, details);
    if (auth) return { kind: 'ok', auth };
    await this.throttle.recordFailure(ctx.db, address);
    return { kind: 'failed' };
  }
}
