// What a security probe of signing in found (issue 13), each reproduced against real `steward serve`
// processes (SQLite: one server with two processes; PostgreSQL: two servers on one database):
// - the second factor could be guessed across many pending sessions, and one code signed in many;
// - ten wrong passwords locked the account for its owner, and one mistyped key locked every key of
//   an address out.
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/accounts/api-key.service.ts';
import { createUser } from '../../src/accounts/user.service.ts';
import { currentTotpCode } from '../../src/auth/two-factor.service.ts';
import type { Ctx } from '../../src/platform/context.ts';
import { DIALECTS } from '../support/databases.ts';
import { useFleet } from '../support/fleet.ts';
import type { HttpResponse } from '../support/http.ts';
import { WebClient } from '../support/web-client.ts';

describe.each(DIALECTS)('signing in under attack on %s', (dialect) => {
  // SQLite: one server with two processes; PostgreSQL: two servers on one database.
  const fleet = useFleet(dialect, { STEWARD_TRUST_PROXY: '127.0.0.1', STEWARD_WORKERS: '2' });
  const server = (n: number) => fleet.server(n);

  const system = (): Ctx => ({
    db: fleet.store.db,
    dialect: fleet.store.dialect,
    actor: { type: 'system', name: 'test setup' },
    principal: null,
    source: 'system',
  });
  const makeUser = (email: string, role = 'technician') => createUser(system(), { email, name: email.split('@')[0]!, password: 'correct horse', role });

  /** A browser at `address` that has got past the password step. */
  const passwordStep = async (email: string, address: string, n = 0, password = 'correct horse') => {
    const web = new WebClient(server(n));
    await web.get('/sign-in');
    const res = await web.post('/sign-in', { email, password }, { 'x-forwarded-for': address });
    return { web, res };
  };

  const sendCode = (web: WebClient, code: string, address = '198.51.100.1') => web.post('/sign-in/code', { code }, { 'x-forwarded-for': address });

  /** Signs in, turns two-factor sign-in on, and returns the seed. */
  const withTwoFactor = async (email: string) => {
    await makeUser(email);
    const { web } = await passwordStep(email, '198.51.100.1');
    const setup = await web.get('/account/two-factor');
    const secret = /data-testid="totp-secret">([A-Z2-7]{32})</.exec(setup.body)![1]!;
    // Set up with the app's previous code (still accepted, for clock drift): that code is used up by it,
    // and the current one is free for signing in.
    expect((await web.post('/account/two-factor/enable', { secret, code: currentTotpCode(secret, Date.now() - 30_000) })).statusCode).toBe(200);
    return secret;
  };

  const wrongCode = (secret: string, i: number) => {
    const code = String(100000 + i * 7919);
    return code === currentTotpCode(secret) ? String(900000 + i) : code;
  };

  it('locks the second step after ten wrong codes across sessions and processes, tells the user, and holds for a right code', async () => {
    const secret = await withTwoFactor('guessed@example.test');
    const answers: HttpResponse[] = [];
    // Four pending sessions, each a fresh password step, as an attacker with the password would do.
    for (const [session, tries] of [
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 2],
    ] as const) {
      const { web } = await passwordStep('guessed@example.test', '203.0.113.9', session);
      await web.get('/sign-in/code');
      for (let i = 0; i < tries; i++) answers.push(await sendCode(web, wrongCode(secret, answers.length), '203.0.113.9'));
    }
    expect(answers.slice(0, 9).map((r) => r.statusCode)).toEqual(Array(9).fill(401));
    expect(answers[9]!.statusCode).toBe(429);
    expect(answers[9]!.body).toContain('Too many wrong codes');
    expect(Number(answers[9]!.headers['retry-after'])).toBeGreaterThan(0);

    const owner = await passwordStep('guessed@example.test', '198.51.100.1', 1);
    await owner.web.get('/sign-in/code');
    const refused = await sendCode(owner.web, currentTotpCode(secret));
    expect(refused.statusCode).toBe(429);
    expect((await owner.web.get('/assets')).statusCode).toBe(302);

    const user = await fleet.store.db.selectFrom('users').select('id').where('email', '=', 'guessed@example.test').executeTakeFirstOrThrow();
    const audit = await fleet.store.db.selectFrom('audit_log').select(['entity_id', 'outcome']).where('action', '=', 'user.second_factor_locked').execute();
    expect(audit).toEqual([{ entity_id: user.id, outcome: 'failure' }]);
    const notes = await fleet.store.db.selectFrom('notifications').select(['title']).where('user_id', '=', user.id).execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]!.title).toMatch(/wrong two-factor codes/i);
  });

  it('refuses the code that turned two-factor sign-in on', async () => {
    await makeUser('enrol@example.test');
    const { web } = await passwordStep('enrol@example.test', '198.51.100.1');
    const secret = /data-testid="totp-secret">([A-Z2-7]{32})</.exec((await web.get('/account/two-factor')).body)![1]!;
    const code = currentTotpCode(secret);
    expect((await web.post('/account/two-factor/enable', { secret, code })).statusCode).toBe(200);
    const later = await passwordStep('enrol@example.test', '198.51.100.1', 1);
    await later.web.get('/sign-in/code');
    const replayed = await sendCode(later.web, code);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.body).toContain('already used');
  });

  it('refuses a code that already signed in, in a later session and in a parallel one', async () => {
    const secret = await withTwoFactor('replay@example.test');
    const code = currentTotpCode(secret);
    const first = await passwordStep('replay@example.test', '198.51.100.1', 0);
    await first.web.get('/sign-in/code');
    expect((await sendCode(first.web, code)).headers.location).toBe('/assets');
    const second = await passwordStep('replay@example.test', '198.51.100.1', 1);
    await second.web.get('/sign-in/code');
    const replayed = await sendCode(second.web, code);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.body).toContain('already used');
    expect((await second.web.get('/assets')).statusCode).toBe(302);

    // The app's next code (accepted now too, for clock drift), tried in four sessions at once: one gets in.
    const next = currentTotpCode(secret, Date.now() + 30_000);
    const racers = await Promise.all([0, 1, 2, 3].map((n) => passwordStep('replay@example.test', '198.51.100.1', n)));
    for (const r of racers) await r.web.get('/sign-in/code');
    const outcomes = await Promise.all(racers.map((r) => sendCode(r.web, next)));
    expect(outcomes.map((o) => o.statusCode).sort()).toEqual([303, 401, 401, 401]);
  });

  it('uses a recovery code once, even when two sessions send it at the same moment', async () => {
    await makeUser('recover@example.test');
    const { web } = await passwordStep('recover@example.test', '198.51.100.1');
    const setup = await web.get('/account/two-factor');
    const secret = /data-testid="totp-secret">([A-Z2-7]{32})</.exec(setup.body)![1]!;
    const on = await web.post('/account/two-factor/enable', { secret, code: currentTotpCode(secret) });
    const recovery = /<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/.exec(on.body)![1]!;
    const racers = await Promise.all([0, 1, 2].map((n) => passwordStep('recover@example.test', '198.51.100.1', n)));
    for (const r of racers) await r.web.get('/sign-in/code');
    const outcomes = await Promise.all(racers.map((r) => sendCode(r.web, recovery)));
    expect(outcomes.map((o) => o.statusCode).sort()).toEqual([303, 401, 401]);
  });

  it('does not lock an account for its owner at a known address while another address guesses its password', async () => {
    await makeUser('target@example.test', 'admin');
    expect((await passwordStep('target@example.test', '198.51.100.50')).res.headers.location).toBe('/assets');
    const guesses: HttpResponse[] = [];
    for (let i = 0; i < 12; i++) guesses.push((await passwordStep('target@example.test', '203.0.113.50', i, `guess-${i}`)).res);
    expect(guesses.slice(0, 10).map((r) => r.statusCode)).toEqual(Array(10).fill(401));
    const slowed = guesses.at(-1)!;
    expect(slowed.statusCode).toBe(429);
    expect(slowed.body).toContain('Too many failed sign-ins');
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
    // The right password from the guessing address is refused too while it waits.
    expect((await passwordStep('target@example.test', '203.0.113.50', 0)).res.statusCode).toBe(429);

    const owner = await passwordStep('target@example.test', '198.51.100.50', 1);
    expect(owner.res.headers.location).toBe('/assets');
    expect((await owner.web.get('/assets')).statusCode).toBe(200);
  });

  it('slows an address that guesses across many accounts, but not a correct password of an account known there', async () => {
    await makeUser('office@example.test');
    expect((await passwordStep('office@example.test', '198.51.100.60')).res.headers.location).toBe('/assets');
    const answers: number[] = [];
    for (let i = 0; i < 11; i++) answers.push((await passwordStep(`nobody-${i}@example.test`, '198.51.100.60', i, 'guess')).res.statusCode);
    expect(answers.at(-1)).toBe(429);
    expect((await passwordStep('office@example.test', '198.51.100.60', 1)).res.headers.location).toBe('/assets');
    // An account never signed in from there waits like any guess.
    await makeUser('visitor@example.test');
    expect((await passwordStep('visitor@example.test', '198.51.100.60')).res.statusCode).toBe(429);
  });

  describe('API keys', () => {
    let key = '';
    let other = '';
    beforeAll(async () => {
      await makeUser('script@example.test');
      const create = async (name: string) => (await createApiKey(system(), { userEmail: 'script@example.test', name })).secret;
      [key, other] = [await create('script'), await create('other script')];
      expect(key.length).toBeGreaterThan(20);
    });

    const v1 = (n: number, k: string, address: string) =>
      server(n)({ url: '/api/v1/assets/read.php', query: { api_key: k }, headers: { 'x-forwarded-for': address } });
    const v2 = (n: number, k: string, address: string) =>
      server(n)({ url: '/api/v2/assets/999999/history', headers: { authorization: `Bearer ${k}`, 'x-forwarded-for': address } });

    it('counts a mistyped key on v1 and v2 together, and still serves the right key from that address on both', async () => {
      const typo = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
      const answers: HttpResponse[] = [];
      for (let i = 0; i < 5; i++) answers.push(await v1(i, typo, '203.0.113.70'), await v2(i, typo, '203.0.113.70'));
      expect(answers.map((r) => r.statusCode)).toEqual(Array(10).fill(401));
      const slowedV1 = await v1(0, typo, '203.0.113.70');
      const slowedV2 = await v2(1, typo, '203.0.113.70');
      expect([slowedV1.statusCode, slowedV2.statusCode]).toEqual([429, 429]);
      expect(Number(slowedV1.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(slowedV2.headers['retry-after'])).toBeGreaterThan(0);

      expect((await v1(1, key, '203.0.113.70')).statusCode).toBe(200);
      // A valid key gets past the gate: this asset does not exist.
      expect((await v2(0, key, '203.0.113.70')).statusCode).toBe(404);
    });

    it('slows an address guessing many keys, on v1 and v2 together, but serves a valid key from it', async () => {
      const guess = (i: number) => `guess${String(i).padStart(4, '0')}xyzxyzxyzxyzxyzxyz`;
      const answers: number[] = [];
      for (let i = 0; i < 10; i++)
        answers.push((await v1(i, guess(2 * i), '203.0.113.80')).statusCode, (await v2(i, guess(2 * i + 1), '203.0.113.80')).statusCode);
      expect(answers).toEqual(Array(20).fill(401));
      expect((await v2(0, guess(99), '203.0.113.80')).statusCode).toBe(429);
      expect((await v1(1, guess(98), '203.0.113.80')).statusCode).toBe(429);
      expect((await v2(1, other, '203.0.113.80')).statusCode).toBe(404);
      expect((await v1(0, other, '203.0.113.80')).statusCode).toBe(200);
    });
  });
});
