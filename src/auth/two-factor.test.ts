// Two-factor sign-in over a real socket, on each database: setting it up, the code step, recovery
// codes that work once, and turning it off.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { listen } from '../../test/support/http.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { createUser } from '../accounts/user.service.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../platform/config.ts';
import { SecretBox } from '../platform/secrets.ts';
import { currentTotpCode } from './two-factor.service.ts';

describe.each(DIALECTS)('two-factor sign-in on %s', (dialect) => {
  const t = useTestDb(dialect);
  let app: FastifyInstance;
  let http: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, store: t.store, secretBox: new SecretBox(Buffer.alloc(32, 9)) });
    http = await listen(app);
    await createUser(t.ctx, { email: 'otp@msp.test', name: 'Otto', password: 'correct horse', role: 'technician' });
  });
  afterAll(async () => app.close());

  const passwordStep = async () => {
    const web = new WebClient(http);
    await web.get('/sign-in');
    const res = await web.post('/sign-in', { email: 'otp@msp.test', password: 'correct horse' });
    return { web, res };
  };

  it('is set up with a code from the app, then asks for a code at every sign-in', async () => {
    const { web } = await passwordStep();
    const setup = await web.get('/account/two-factor');
    const secret = /data-testid="totp-secret">([A-Z2-7]{32})</.exec(setup.body)![1]!;
    expect(setup.body).toContain('src="data:image/png;base64,');
    const wrong = await web.post('/account/two-factor/enable', { secret, code: '000000' === currentTotpCode(secret) ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('that code is not right');
    // The previous code (accepted for clock drift) sets it up and is used up; the current one signs in below.
    const on = await web.post('/account/two-factor/enable', { secret, code: currentTotpCode(secret, Date.now() - 30_000) });
    const codes = [...on.body.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    const stored = await t.store.db.selectFrom('users').select('totp_secret').where('email', '=', 'otp@msp.test').executeTakeFirstOrThrow();
    expect(stored.totp_secret).not.toContain(secret);

    const second = await passwordStep();
    expect(second.res.headers.location).toBe('/sign-in/code');
    expect((await second.web.get('/assets')).headers.location).toBe('/sign-in?next=%2Fassets');
    await second.web.get('/sign-in/code');
    expect((await second.web.post('/sign-in/code', { code: '12345' })).statusCode).toBe(401);
    const ok = await second.web.post('/sign-in/code', { code: currentTotpCode(secret) });
    expect(ok.headers.location).toBe('/assets');
    expect((await second.web.get('/assets')).statusCode).toBe(200);

    const third = await passwordStep();
    await third.web.get('/sign-in/code');
    expect((await third.web.post('/sign-in/code', { code: codes[0]!.toUpperCase() })).headers.location).toBe('/assets');
    const fourth = await passwordStep();
    await fourth.web.get('/sign-in/code');
    expect((await fourth.web.post('/sign-in/code', { code: codes[0]! })).statusCode).toBe(401);

    const page = await third.web.get('/account/two-factor');
    expect(page.body).toContain('9 recovery codes left');
    expect((await third.web.post('/account/two-factor/disable', { password: 'wrong' })).statusCode).toBe(401);
    await third.web.get('/account/two-factor');
    expect((await third.web.post('/account/two-factor/disable', { password: 'correct horse' })).statusCode).toBe(303);
    expect((await passwordStep()).res.headers.location).toBe('/assets');
  });

  it('stops guessing after five wrong codes in one sign-in', async () => {
    await t.store.db
      .updateTable('users')
      .set({ totp_secret: new SecretBox(Buffer.alloc(32, 9)).encrypt('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP') })
      .where('email', '=', 'otp@msp.test')
      .execute();
    const { web } = await passwordStep();
    await web.get('/sign-in/code');
    for (let i = 0; i < 5; i++) expect((await web.post('/sign-in/code', { code: `00000${i}` })).statusCode).toBe(401);
    const blocked = await web.post('/sign-in/code', { code: currentTotpCode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP') });
    expect(blocked.statusCode).toBe(429);
  });
});
