// The text the search index holds for an asset, built one way for every writer: the asset rules,
// the bulk writer and the migration that rebuilds it.
import { foldText } from '../platform/fields.ts';
import { ASSET_FIELDS, EDITABLE_FIELDS } from './asset-fields.ts';
import type { Asset, AssetInterface } from './asset.ts';

const SEARCHED_FIELDS = EDITABLE_FIELDS.filter((f) => 'searched' in ASSET_FIELDS[f]);

type Addresses = Pick<AssetInterface, 'ip' | 'mac' | 'ipv6' | 'natIp'>;

/**
 * An asset's own fields and the addresses of its interfaces (the primary's first), folded; each MAC
 * also as bare hex, so a piece of it pasted in any notation is found.
 */
export function searchDocument(asset: Asset, interfaces: Addresses[]): string {
  const parts = [...SEARCHED_FIELDS.map((f) => asset[f] as string | null)];
  for (const i of interfaces) parts.push(i.ip, i.natIp, i.ipv6, i.mac, i.mac ? i.mac.replaceAll(':', '') : null);
  // Newlines keep a trigram from spanning two fields.
  return foldText(parts.filter((p): p is string => !!p).join('\n'));
}
