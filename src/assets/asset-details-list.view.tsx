// The Details list of the asset page: the fields that hold something, each on its line, and the empty
// ones folded into a single "Empty: …" line instead of a column of dashes. Stored URIs become links
// only for the schemes asset-uri.ts allows; anything else is shown as the text it is.
import type { ComponentChildren } from 'preact';
import { ASSET_FIELDS, EDITABLE_FIELDS, HAND_PLACED_FIELDS } from './asset-fields.ts';
import type { Asset } from './asset.ts';
import { linkableUri } from './asset-uri.ts';
import { WarrantyBadge } from './warranty-badge.tsx';

/** Fields the list does not place by hand: they follow it, in the order of the field table. */
const OTHER_DETAILS = EDITABLE_FIELDS.filter((f) => !HAND_PLACED_FIELDS.has(f));

type Line = { label: string; value: unknown; render?: (text: string) => ComponentChildren; mono?: boolean };

const isEmpty = (value: unknown) => value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

function text(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** A URI as a link that opens apart from Steward, or plain text when its scheme is not one we open. */
export function AssetUri({ value }: { value: string }) {
  const href = linkableUri(value);
  if (!href) return <span class="text-break">{value}</span>;
  return (
    <a class="text-break" href={href} target="_blank" rel="noopener noreferrer">
      {value}
    </a>
  );
}

export function AssetDetailsList({
  asset: a,
  names,
  today,
}: {
  asset: Asset;
  names: { location: string | null; contact: string | null; vendor: string | null };
  today: string;
}) {
  const uri = (value: string) => <AssetUri value={value} />;
  const lines: Line[] = [
    { label: 'Type', value: a.type },
    { label: 'Status', value: a.status },
    { label: 'Make', value: a.make },
    { label: 'Model', value: a.model },
    { label: 'Serial', value: a.serial, mono: true },
    { label: 'Operating system', value: a.os },
    { label: 'Assigned to', value: names.contact },
    { label: 'Location', value: names.location },
    { label: 'Physical location', value: a.physicalLocation },
    { label: 'Vendor', value: names.vendor },
    { label: 'Purchase reference', value: a.purchaseReference },
    { label: 'Purchase date', value: a.purchaseDate },
    { label: 'Install date', value: a.installDate },
    {
      label: 'Warranty expires',
      value: a.warrantyExpire,
      render: (v) => (
        <>
          {v} <WarrantyBadge expire={a.warrantyExpire} today={today} class="ms-1" />
        </>
      ),
    },
    { label: 'URI', value: a.uri, render: uri },
    { label: 'URI 2', value: a.uri2, render: uri },
    { label: 'Client URI', value: a.uriClient, render: uri },
    { label: 'Description', value: a.description },
    ...OTHER_DETAILS.map((f) => ({ label: ASSET_FIELDS[f].label, value: a[f] })),
  ];
  const filled = lines.filter((l) => !isEmpty(l.value));
  const empty = lines.filter((l) => isEmpty(l.value));
  return (
    <>
      {filled.length ? (
        <dl class="row field-list">
          {filled.map((l) => (
            <>
              <dt class="col-sm-4">{l.label}</dt>
              <dd class={`col-sm-8${l.mono ? ' mono' : ''}`}>{l.render ? l.render(text(l.value)) : text(l.value)}</dd>
            </>
          ))}
        </dl>
      ) : null}
      {empty.length ? (
        <p class="small text-body-secondary asset-empty-fields" data-empty-fields>
          Empty: {empty.map((l) => l.label).join(', ')}
        </p>
      ) : null}
    </>
  );
}
