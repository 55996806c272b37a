// The asset service checks the user a call acts for itself (ctx.principal): the client must be one they
// see and the support module must be at the level the action needs. So an entry point that forgets to
// check (a new page, an API, a job acting for a user) still cannot write where the user may not.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, useTestDb } from '../../test/support/databases.ts';
import { actingAs } from '../../test/support/factories.ts';
import { createClient } from '../clients/client.service.ts';
import { ForbiddenError, NotFoundError } from '../platform/errors.ts';
import { changeAssetTags } from './asset-links.service.ts';
import { addAssetNote, listAssetNotes } from './asset-note.service.ts';
import { archiveAsset, checkAssetUpdate, copyAsset, createAsset, deleteAsset, getAsset, restoreAsset, updateAsset } from './asset.service.ts';
import { addInterface, getInterfaces } from './interface.service.ts';

describe.each(DIALECTS)('the asset service, acting for a user, on %s', (dialect) => {
  const t = useTestDb(dialect);
  let mine: number;
  let theirs: number;
  let myAsset: number;
  let theirAsset: number;

  beforeAll(async () => {
    mine = (await createClient(t.ctx, { name: 'Access Mine' })).id;
    theirs = (await createClient(t.ctx, { name: 'Access Theirs' })).id;
    myAsset = (await createAsset(t.ctx, { clientId: mine, name: 'MINE-01' })).id;
    theirAsset = (await createAsset(t.ctx, { clientId: theirs, name: 'THEIRS-01' })).id;
  });

  it("treats another client's assets as missing for a technician limited to one client", async () => {
    const tech = await actingAs(t.ctx, 'limited@access.test', 'technician', mine);
    await expect(createAsset(tech, { clientId: theirs, name: 'SNEAK' })).rejects.toThrow(`client ${theirs} does not exist`);
    await expect(updateAsset(tech, theirAsset, { name: 'CHANGED' })).rejects.toThrow(NotFoundError);
    await expect(checkAssetUpdate(tech, theirAsset, { name: 'CHANGED' })).rejects.toThrow(NotFoundError);
    await expect(archiveAsset(tech, theirAsset)).rejects.toThrow(NotFoundError);
    await expect(copyAsset(tech, theirAsset)).rejects.toThrow(NotFoundError);
    expect((await getAsset(t.ctx, theirAsset)).name).toBe('THEIRS-01');
    expect((await getAsset(t.ctx, theirAsset)).archivedAt).toBeNull();

    const created = await createAsset(tech, { clientId: mine, name: 'MINE-02' });
    expect((await updateAsset(tech, created.id, { name: 'MINE-02B' })).changed).toBe(true);
    expect(await archiveAsset(tech, created.id)).toBe(true);
    expect(await restoreAsset(tech, created.id)).toBe(true);
    // Technicians write assets but may not delete them (ITFlow's levels).
    await expect(deleteAsset(tech, created.id)).rejects.toThrow(ForbiddenError);
    expect((await getAsset(t.ctx, created.id)).name).toBe('MINE-02B');
  });

  it("keeps a limited technician off another client's interfaces, notes and tags too", async () => {
    const tech = await actingAs(t.ctx, 'limited2@access.test', 'technician', mine);
    await expect(addInterface(tech, theirAsset, { name: 'eth9' })).rejects.toThrow(NotFoundError);
    await expect(getInterfaces(tech, theirAsset)).rejects.toThrow(NotFoundError);
    await expect(addAssetNote(tech, theirAsset, { body: 'sneaky' })).rejects.toThrow(NotFoundError);
    await expect(changeAssetTags(tech, theirAsset, ['Sneaky'], 'add')).rejects.toThrow(NotFoundError);
    expect((await getInterfaces(t.ctx, theirAsset)).map((i) => i.name)).toEqual(['01']);
    expect(await listAssetNotes(t.ctx, theirAsset)).toEqual([]);

    expect((await addInterface(tech, myAsset, { name: 'eth1' })).name).toBe('eth1');
    expect((await addAssetNote(tech, myAsset, { body: 'checked' })).body).toBe('checked');
  });

  it('refuses every write to a user who may only read assets, naming what is missing', async () => {
    const reader = await actingAs(t.ctx, 'reader@access.test', 'accountant');
    await expect(createAsset(reader, { clientId: mine, name: 'NOPE' })).rejects.toThrow(/needs write access/);
    await expect(updateAsset(reader, myAsset, { name: 'NOPE' })).rejects.toThrow(ForbiddenError);
    await expect(archiveAsset(reader, myAsset)).rejects.toThrow(ForbiddenError);
    await expect(deleteAsset(reader, myAsset)).rejects.toThrow(ForbiddenError);
    await expect(addAssetNote(reader, myAsset, { body: 'nope' })).rejects.toThrow(ForbiddenError);
    await expect(addInterface(reader, myAsset, { name: 'nope' })).rejects.toThrow(ForbiddenError);
    expect((await getAsset(t.ctx, myAsset)).name).toBe('MINE-01');
  });

  it('lets an administrator, and the system acting for itself (no user), do everything', async () => {
    const admin = await actingAs(t.ctx, 'admin@access.test', 'admin');
    const spare = await createAsset(admin, { clientId: theirs, name: 'SPARE' });
    await deleteAsset(admin, spare.id);
    const other = await createAsset(t.ctx, { clientId: theirs, name: 'SYSTEM-MADE' });
    await deleteAsset(t.ctx, other.id);
    await expect(getAsset(t.ctx, other.id)).rejects.toThrow(NotFoundError);
  });
});
