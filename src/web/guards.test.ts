// The guards decide who reaches a route, not its handler: a page added the way any feature adds one,
// with no check of its own, is still closed to visitors, to forms without their token and, in the
// administrators' scope, to technicians.
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { WebClient } from '../../test/support/web-client.ts';
import { createUser } from '../accounts/user.service.ts';
import { administratorsOnly } from './guards.ts';

/** Pages of a feature that does not exist yet, whose handlers check nothing and count what they do. */
function newFeature(app: FastifyInstance, handled: string[]): void {
  app.get('/new-feature', async () => 'the new page');
  app.post('/new-feature', async (request) => {
    handled.push(`form ${JSON.stringify(request.body)}`);
    return 'saved';
  });
  app.register(async (scope) => {
    administratorsOnly(scope);
    scope.get('/new-admin-feature', async () => 'the new settings');
    scope.post('/new-admin-feature', async () => {
      handled.push('admin form');
      return 'saved';
    });
  });
}

describe.each(DIALECTS)('the web guards on %s', (dialect) => {
  const t = useTestDb(dialect);
  const handled: string[] = [];
  const site = useWebApp(t, { extend: (app) => newFeature(app, handled) });

  it('close a page whose handler checks nothing to visitors, forged forms and, for administrators’ pages, technicians', async () => {
    await createUser(t.ctx, { email: 'admin@guards.test', name: 'Admin', password: 'correct horse', role: 'admin' });
    await createUser(t.ctx, { email: 'tech@guards.test', name: 'Tech', password: 'correct horse', role: 'technician' });

    const visitor = new WebClient(site.http);
    const page = await visitor.get('/new-feature');
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/sign-in?next=%2Fnew-feature');
    expect((await visitor.post('/new-feature', { name: 'x' })).headers.location).toBe('/sign-in');
    expect((await visitor.get('/new-admin-feature')).headers.location).toBe('/sign-in?next=%2Fnew-admin-feature');

    const tech = await site.signIn('tech@guards.test');
    expect((await tech.get('/new-feature')).body).toBe('the new page');
    const forged = await tech.post('/new-feature', { name: 'forged', _csrf: 'not-the-token' });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('did not come from Steward');
    const noToken = await tech.post('/new-feature', { name: 'no token', _csrf: '' });
    expect(noToken.statusCode).toBe(403);
    await tech.get('/assets');
    const real = await tech.post('/new-feature', { name: 'real' });
    expect(real.body).toBe('saved');
    expect((await tech.get('/new-admin-feature')).statusCode).toBe(403);
    expect((await tech.post('/new-admin-feature', { name: 'x' })).statusCode).toBe(403);

    const admin = await site.signIn('admin@guards.test');
    await admin.get('/assets');
    expect((await admin.get('/new-admin-feature')).body).toBe('the new settings');
    expect((await admin.post('/new-admin-feature', {})).body).toBe('saved');
    expect((await admin.post('/new-admin-feature', { _csrf: 'forged' })).statusCode).toBe(403);

    expect(handled).toEqual(['form {"_csrf":"' + tech.csrf + '","name":"real"}', 'admin form']);
  });

  it('refuse an upload form that does not say its token comes in the upload', async () => {
    const tech = await site.signIn('tech@guards.test');
    await tech.get('/assets');
    const res = await tech.upload('/new-feature', { name: 'x' }, { name: 'a.csv', content: 'Name\r\nA' });
    expect(res.statusCode).toBe(403);
    expect(handled.filter((h) => h.startsWith('form')).length).toBe(1);
  });
});
