// The way into both APIs: a key checked (or found among this process's recent checks), with guessing
// slowed per key prefix (growing delays) and per address (a ceiling for guessing many keys). Both
// counters are in the database under the same names for v1 and v2, so every process and both APIs add
// up the same failures. A key this process checked lately, under the current access revision, is
// served at once; anything else is an attempt for both counters first, so a burst of guesses cannot
// slip past them. A valid key is served even while its prefix or its address waits: only guesses are
// refused, so a mistyped key (or someone guessing) never locks the right key out.
import { apiKeyPrefix, ApiKeyCache, type ApiKeyAuth } from '../accounts/api-key.service.ts';
import type { Ctx } from '../platform/context.ts';
import { FailureThrottle, GrowingDelay } from './failure-throttle.ts';

export type GateOutcome = { kind: 'ok'; auth: ApiKeyAuth } | { kind: 'throttled'; retryAfterMs: number } | { kind: 'failed' };

export class ApiGate {
  private readonly keys = new ApiKeyCache();
  private readonly byAddress = new FailureThrottle('api_key', 20, 60_000);
  private readonly byPrefix = new GrowingDelay('api_key_prefix', 10, 30_000, 15 * 60_000);

  async check(ctx: Ctx, secret: string, details: { endpoint?: string; userAgent?: string | null }): Promise<GateOutcome> {
    const { auth: cached, revision } = await this.keys.cached(ctx, secret);
    if (cached) return { kind: 'ok', auth: cached };
    const attempts = [await this.byAddress.attempt(ctx.db, ctx.ip ?? 'unknown'), await this.byPrefix.attempt(ctx.db, apiKeyPrefix(secret))];
    const wait = Math.max(...attempts.map((a) => a.refusedForMs));
    const auth = await this.keys.authenticate(ctx, secret, revision, { ...details, quiet: wait > 0 });
    // A refused guess is not counted (nor audited); a success never counts.
    if (auth || wait > 0) for (const a of attempts) await a.succeeded();
    if (auth) return { kind: 'ok', auth };
    return wait > 0 ? { kind: 'throttled', retryAfterMs: wait } : { kind: 'failed' };
  }
}
