// The way into both APIs: a key checked (or found among this process's recent checks), with guessing
// slowed per address. A key this process checked lately, under the current access revision, is served
// at once (a guess could only match it by being that key); anything else is an attempt for the failure
// throttle first, so an address that has guessed too often is refused before its next guess is looked at.
import { ApiKeyCache, type ApiKeyAuth } from '../accounts/api-key.service.ts';
import type { Ctx } from '../platform/context.ts';
import { FailureThrottle } from './failure-throttle.ts';

export type GateOutcome = { kind: 'ok'; auth: ApiKeyAuth } | { kind: 'throttled'; retryAfterMs: number } | { kind: 'failed' };

export class ApiGate {
  private readonly keys = new ApiKeyCache();
  private readonly throttle = new FailureThrottle('api_key', 20, 60_000);

  async check(ctx: Ctx, secret: string, details: { endpoint?: string; userAgent?: string | null }): Promise<GateOutcome> {
    const { auth: cached, revision } = await this.keys.cached(ctx, secret);
    if (cached) return { kind: 'ok', auth: cached };
    const attempt = await this.throttle.attempt(ctx.db, ctx.ip ?? 'unknown');
    if (attempt.refusedForMs > 0) return { kind: 'throttled', retryAfterMs: attempt.refusedForMs };
    const auth = await this.keys.authenticate(ctx, secret, revision, details);
    if (!auth) return { kind: 'failed' };
    await attempt.succeeded();
    return { kind: 'ok', auth };
  }
}
