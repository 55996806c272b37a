// Tags where people type and see them, over a real socket, on each database: the existing tags
// offered as type-ahead on the asset form and the asset page, a new tag created inline by a technician
// (audited) but not by a read-only accountant, and administrators' colours on the chips of the list,
// the asset page and the tag filter, through classes the Content-Security-Policy allows.
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { makeClientWithRecords } from '../../test/support/factories.ts';
import { useWebApp } from '../../test/support/web-app.ts';
import { createUser } from '../accounts/user.service.ts';
import { createAsset } from '../assets/asset.service.ts';
import { createTag, listTags, tagsOfAsset } from './tag.service.ts';

const PASSWORD = 'plum-orchard-lantern-47';

describe.each(DIALECTS)('tags in the web UI on %s', (dialect) => {
  const t = useTestDb(dialect);
  const site = useWebApp(t);

  const setUp = async (label: string) => {
    const c = await makeClientWithRecords(t.ctx, `${label} Co`);
    const asset = await createAsset(t.ctx, { clientId: c.client.id, name: `${label}-PC` });
    await createUser(t.ctx, { email: `tech@${label}.test`, name: 'Tech', password: PASSWORD, role: 'technician' });
    await createUser(t.ctx, { email: `acct@${label}.test`, name: 'Acct', password: PASSWORD, role: 'accountant' });
    return {
      c,
      asset,
      tech: await site.signIn(`tech@${label}.test`, PASSWORD),
      acct: await site.signIn(`acct@${label}.test`, PASSWORD),
    };
  };
  const tagNamed = async (name: string) => (await listTags(t.ctx)).find((x) => x.name === name);
  const auditOf = (action: string) => t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).execute();

  it('offers the existing tags as a datalist on the asset form and the asset page', async () => {
    const { c, asset, tech } = await setUp('offer');
    await createTag(t.ctx, { name: 'Backup target' });
    const form = await tech.get(`/assets/new?client_id=${c.client.id}`);
    expect(form.body).toMatch(/<input[^>]*id="f-tags"[^>]*list="f-tags-options"/);
    expect(form.body).toMatch(/<datalist id="f-tags-options">[\s\S]*?<option value="Backup target"/);
    const page = await tech.get(`/assets/${asset.id}`);
    expect(page.body).toMatch(/<input[^>]*id="asset-tags"[^>]*list="asset-tags-options"/);
    expect(page.body).toMatch(/<datalist id="asset-tags-options">[\s\S]*?<option value="Backup target"/);
    const list = await tech.get(`/clients/${c.client.id}/assets`);
    expect(list.body).toMatch(/<input[^>]*id="bulk-tags"[^>]*list="bulk-tags-options"/);
  });

  it('lets a technician create a tag inline, audited, from the asset page, the asset form and the bulk bar', async () => {
    const { c, asset, tech } = await setUp('inline');
    await createTag(t.ctx, { name: 'Leased' });
    await tech.get(`/assets/${asset.id}`);
    const saved = await tech.post(`/assets/${asset.id}/tags`, { tags: 'leased, Front desk' });
    expect(saved.statusCode).toBe(303);
    const created = await tagNamed('Front desk');
    expect(created).toMatchObject({ name: 'Front desk', color: null });
    expect((await tagsOfAsset(t.ctx, asset.id)).map((x) => x.name)).toEqual(['Front desk', 'Leased']);
    const audit = await auditOf('tag_created');
    expect(audit.find((a) => a.entity_id === created!.id)).toMatchObject({ entity_type: 'tag', actor_name: 'Tech', outcome: 'success' });
    const page = await tech.get(`/assets/${asset.id}`);
    expect(page.body).toContain('Tags saved.');
    expect(page.body).toMatch(/<span class="badge tag-chip tag-plain">Front desk<\/span>/);

    // The add form: a new name becomes a tag with the asset; a refused asset creates no tag.
    await tech.get(`/assets/new?client_id=${c.client.id}`);
    const refused = await tech.post(`/assets/new?client_id=${c.client.id}`, { name: '', tags: 'Never made' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('value="Never made"');
    expect(await tagNamed('Never made')).toBeUndefined();
    const added = await tech.post(`/assets/new?client_id=${c.client.id}`, { name: 'KIOSK-1', tags: 'Kiosk, Leased' });
    expect(added.statusCode).toBe(303);
    const kioskId = Number(/\/assets\/(\d+)/.exec(String(added.headers.location))![1]);
    expect((await tagsOfAsset(t.ctx, kioskId)).map((x) => x.name)).toEqual(['Kiosk', 'Leased']);

    // The bulk bar: one new tag for all the ticked assets.
    await tech.get(`/clients/${c.client.id}/assets`);
    await tech.post('/assets/bulk', { action: 'add_tags', tags: 'Audit 2027', ids: [String(asset.id), String(kioskId)], return_to: '/assets' });
    expect((await tagsOfAsset(t.ctx, kioskId)).map((x) => x.name)).toContain('Audit 2027');
    expect((await tagsOfAsset(t.ctx, asset.id)).map((x) => x.name)).toContain('Audit 2027');
    expect((await listTags(t.ctx)).filter((x) => x.name === 'Audit 2027')).toHaveLength(1);
  });

  it('refuses a read-only accountant: no tag box, and a post changes and creates nothing', async () => {
    const { asset, acct } = await setUp('readonly');
    const page = await acct.get(`/assets/${asset.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('id="asset-tags"');
    const post = await acct.post(`/assets/${asset.id}/tags`, { tags: 'Sneaky' });
    expect(post.statusCode).toBe(403);
    expect(await tagNamed('Sneaky')).toBeUndefined();
    expect(await tagsOfAsset(t.ctx, asset.id)).toEqual([]);
  });

  it('shows administrators’ colours on chips in the list, the asset page and the tag filter, with readable text', async () => {
    const { c, asset, tech } = await setUp('colour');
    const dark = await createTag(t.ctx, { name: 'Critical', color: '#8B0000' });
    await createTag(t.ctx, { name: 'Spare', color: '#ffeb3b' });
    await tech.get(`/assets/${asset.id}`);
    await tech.post(`/assets/${asset.id}/tags`, { tags: 'Critical, Spare' });

    const darkChip = '<span class="badge tag-chip tag-color-8b0000 tag-text-light">Critical</span>';
    const lightChip = '<span class="badge tag-chip tag-color-ffeb3b tag-text-dark">Spare</span>';
    const list = await tech.get(`/clients/${c.client.id}/assets`);
    expect(list.body).toContain(darkChip);
    expect(list.body).toContain(lightChip);
    const page = await tech.get(`/assets/${asset.id}`);
    expect(page.body).toContain(darkChip);
    expect(page.body).toContain(lightChip);
    const filtered = await tech.get(`/clients/${c.client.id}/assets?tag=${dark.id}`);
    expect(filtered.body).toMatch(new RegExp(`<option value="${dark.id}" selected class="tag-color-8b0000 tag-text-light">Critical</option>`));
    expect(filtered.body).toContain('<span class="badge tag-chip tag-color-8b0000 tag-text-light mt-1">Critical</span>');

    // The colours come from a stylesheet: the CSP allows no inline styles, and no chip has one.
    expect(String(page.headers['content-security-policy'])).toMatch(/style-src 'self'(;|$)/);
    expect(page.body).not.toMatch(/<span[^>]*tag-chip[^>]*style=/);
    expect(page.body).toContain('<link rel="stylesheet" href="/tags/colors.css"/>');
    const css = await tech.get('/tags/colors.css');
    expect(css.statusCode).toBe(200);
    expect(String(css.headers['content-type'])).toContain('text/css');
    expect(css.body).toContain('.tag-color-8b0000{background-color:#8b0000}');
    expect(css.body).toContain('.tag-color-ffeb3b{background-color:#ffeb3b}');
  });
});
