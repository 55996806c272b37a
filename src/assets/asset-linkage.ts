// How a record around assets is tied to them, for the record pages: an asset field pointing at it
// (location, contact, vendor), interfaces on it (network), or a link table (services, tickets). Each
// linkage counts, lists, offers, links, unlinks and, before a delete, clears, always through the asset
// rules so every asset's history records the change.
import { sql } from 'kysely';
import { withCorrelation, type Ctx } from '../platform/context.ts';
import { linkService, linkTicket, unlinkService, unlinkTicket } from './asset-links.service.ts';
import { updateAsset } from './asset.service.ts';
import { updateInterface } from './interface.service.ts';

export interface LinkedItem {
  assetId: number;
  assetName: string;
  detail: string;
  /** The id that unlinking names: the asset's, or the interface's for a network. */
  targetId: number;
}

export interface AssetLinkage {
  /** What is linked: "asset" or "interface". */
  what: 'asset' | 'interface';
  /** How many active assets (or interfaces) use each record of a page. */
  usage(ctx: Ctx, ids: number[]): Promise<Map<number, number>>;
  /** How many a delete would touch, archived assets included. */
  count(ctx: Ctx, id: number): Promise<number>;
  linked(ctx: Ctx, id: number): Promise<LinkedItem[]>;
  /** What can still be linked: the client's active assets (or their interfaces). */
  choices(ctx: Ctx, id: number, clientId: number): Promise<Array<{ id: number; label: string }>>;
  /** Links or unlinks; false when the target is not one of the client's (or not linked). */
  link(ctx: Ctx, id: number, clientId: number, targetId: number, linking: boolean): Promise<boolean>;
  /** Unlinks everything, before the record is deleted; `reason` goes into each history event. */
  clear(ctx: Ctx, id: number, reason: string): Promise<void>;
}

const counted = (rows: Array<{ ref: number | null; n: number | string | bigint }>) => new Map(rows.map((r) => [Number(r.ref), Number(r.n)]));
const bulk = (ctx: Ctx, reason: string) => withCorrelation({ ...ctx, reason: ctx.reason ?? reason }, ctx.correlationId ?? undefined);
const assetDetail = (r: { type: string | null; status: string | null; archived_at: string | null }) =>
  [r.type, r.status, r.archived_at ? 'archived' : null].filter(Boolean).join(' · ');

/** Assets whose location, contact or vendor is the record. */
export function assetField(field: 'locationId' | 'contactId' | 'vendorId'): AssetLinkage {
  const column = ({ locationId: 'location_id', contactId: 'contact_id', vendorId: 'vendor_id' } as const)[field];
  const pointing = (ctx: Ctx, id: number) => ctx.db.selectFrom('assets').select(['id', 'name', 'type', 'status', 'archived_at']).where(column, '=', id);
  return {
    what: 'asset',
    async usage(ctx, ids) {
      if (!ids.length) return new Map();
      return counted(
        await ctx.db
          .selectFrom('assets')
          .select([`${column} as ref`, (eb) => eb.fn.countAll<number>().as('n')])
          .where(column, 'in', ids)
          .where('archived_at', 'is', null)
          .groupBy(column)
          .execute(),
      );
    },
    async count(ctx, id) {
      return Number(
        (
          await ctx.db
            .selectFrom('assets')
            .where(column, '=', id)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    },
    async linked(ctx, id) {
      const rows = await pointing(ctx, id).orderBy(sql`lower(name)`).limit(500).execute();
      return rows.map((r) => ({ assetId: r.id, assetName: r.name, detail: assetDetail(r), targetId: r.id }));
    },
    async choices(ctx, id, clientId) {
      const rows = await ctx.db
        .selectFrom('assets')
        .select(['id', 'name'])
        .where('client_id', '=', clientId)
        .where('archived_at', 'is', null)
        .where((eb) => eb.or([eb(column, 'is', null), eb(column, '!=', id)]))
        .orderBy(sql`lower(name)`)
        .limit(1_000)
        .execute();
      return rows.map((r) => ({ id: r.id, label: r.name }));
    },
    async link(ctx, id, clientId, targetId, linking) {
      const asset = await ctx.db.selectFrom('assets').select(['id', 'client_id', column]).where('id', '=', targetId).executeTakeFirst();
      if (!asset || asset.client_id !== clientId || (!linking && (asset as Record<string, unknown>)[column] !== id)) return false;
      await updateAsset(ctx, asset.id, { [field]: linking ? id : null });
      return true;
    },
    async clear(ctx, id, reason) {
      for (const asset of await pointing(ctx, id).orderBy('id').execute()) await updateAsset(bulk(ctx, reason), asset.id, { [field]: null });
    },
  };
}

/** Interfaces on the network. */
export const networkInterfaces: AssetLinkage = {
  what: 'interface',
  async usage(ctx, ids) {
    if (!ids.length) return new Map();
    return counted(
      await ctx.db
        .selectFrom('asset_interfaces')
        .select(['network_id as ref', (eb) => eb.fn.countAll<number>().as('n')])
        .where('network_id', 'in', ids)
        .groupBy('network_id')
        .execute(),
    );
  },
  async count(ctx, id) {
    return Number(
      (
        await ctx.db
          .selectFrom('asset_interfaces')
          .where('network_id', '=', id)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  },
  async linked(ctx, id) {
    const rows = await ctx.db
      .selectFrom('asset_interfaces as i')
      .innerJoin('assets as a', 'a.id', 'i.asset_id')
      .select(['a.id as assetId', 'a.name as assetName', 'i.id as interfaceId', 'i.name as interfaceName', 'i.ip', 'i.mac'])
      .where('i.network_id', '=', id)
      .orderBy(sql`lower(a.name)`)
      .orderBy('i.name')
      .limit(500)
      .execute();
    return rows.map((r) => ({
      assetId: r.assetId,
      assetName: r.assetName,
      targetId: r.interfaceId,
      detail: [r.interfaceName, r.ip, r.mac].filter(Boolean).join(' · '),
    }));
  },
  async choices(ctx, id, clientId) {
    const rows = await ctx.db
      .selectFrom('asset_interfaces as i')
      .innerJoin('assets as a', 'a.id', 'i.asset_id')
      .select(['i.id', 'i.name', 'a.name as assetName'])
      .where('a.client_id', '=', clientId)
      .where('a.archived_at', 'is', null)
      .where((eb) => eb.or([eb('i.network_id', 'is', null), eb('i.network_id', '!=', id)]))
      .orderBy(sql`lower(a.name)`)
      .orderBy('i.name')
      .limit(1_000)
      .execute();
    return rows.map((r) => ({ id: r.id, label: `${r.assetName} – ${r.name}` }));
  },
  async link(ctx, id, clientId, targetId, linking) {
    const iface = await ctx.db
      .selectFrom('asset_interfaces as i')
      .innerJoin('assets as a', 'a.id', 'i.asset_id')
      .select(['i.id', 'a.client_id', 'i.network_id'])
      .where('i.id', '=', targetId)
      .executeTakeFirst();
    if (!iface || iface.client_id !== clientId || (!linking && iface.network_id !== id)) return false;
    await updateInterface(ctx, iface.id, { networkId: linking ? id : null });
    return true;
  },
  async clear(ctx, id, reason) {
    const interfaces = await ctx.db.selectFrom('asset_interfaces').select('id').where('network_id', '=', id).orderBy('id').execute();
    for (const i of interfaces) await updateInterface(bulk(ctx, reason), i.id, { networkId: null });
  },
};

/** Assets linked through a link table: a service's or a ticket's assets. */
export function linkTable(kind: 'service' | 'ticket'): AssetLinkage {
  const table = kind === 'service' ? 'service_assets' : 'ticket_assets';
  const key = kind === 'service' ? 'service_id' : 'ticket_id';
  const [link, unlink] = kind === 'service' ? [linkService, unlinkService] : [linkTicket, unlinkTicket];
  const assetsOf = (ctx: Ctx, id: number) =>
    ctx.db
      .selectFrom(`${table} as l` as 'service_assets as l')
      .innerJoin('assets as a', 'a.id', 'l.asset_id')
      .select(['a.id', 'a.name', 'a.type', 'a.status', 'a.archived_at', 'a.client_id'])
      .where(`l.${key}` as 'l.service_id', '=', id);
  return {
    what: 'asset',
    async usage(ctx, ids) {
      if (!ids.length) return new Map();
      return counted(
        await ctx.db
          .selectFrom(table as 'service_assets')
          .select([`${key} as ref` as 'service_id as ref', (eb) => eb.fn.countAll<number>().as('n')])
          .where(key as 'service_id', 'in', ids)
          .groupBy(key as 'service_id')
          .execute(),
      );
    },
    async count(ctx, id) {
      return (await assetsOf(ctx, id).execute()).length;
    },
    async linked(ctx, id) {
      const rows = await assetsOf(ctx, id).orderBy(sql`lower(a.name)`).limit(500).execute();
      return rows.map((r) => ({ assetId: r.id, assetName: r.name, detail: assetDetail(r), targetId: r.id }));
    },
    async choices(ctx, id, clientId) {
      const taken = new Set((await assetsOf(ctx, id).execute()).map((r) => r.id));
      const rows = await ctx.db
        .selectFrom('assets')
        .select(['id', 'name'])
        .where('client_id', '=', clientId)
        .where('archived_at', 'is', null)
        .orderBy(sql`lower(name)`)
        .limit(1_000)
        .execute();
      return rows.filter((r) => !taken.has(r.id)).map((r) => ({ id: r.id, label: r.name }));
    },
    async link(ctx, id, clientId, targetId, linking) {
      const asset = await ctx.db.selectFrom('assets').select(['id', 'client_id']).where('id', '=', targetId).executeTakeFirst();
      if (!asset || asset.client_id !== clientId) return false;
      return linking ? (await link(ctx, asset.id, id), true) : unlink(ctx, asset.id, id);
    },
    async clear(ctx, id, reason) {
      for (const asset of await assetsOf(ctx, id).orderBy('a.id').execute()) await unlink(bulk(ctx, reason), asset.id, id);
    },
  };
}
