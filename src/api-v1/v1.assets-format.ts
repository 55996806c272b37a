// How v1 request fields map onto the asset rules' fields. (Rows go out as JSON built by the
// database: v1.asset-json.ts.)
/** v1 body field → the asset rules' field (and where it goes). */
export const V1_ASSET_FIELDS: Record<string, string> = {
  asset_name: 'name',
  asset_description: 'description',
  asset_type: 'type',
  asset_make: 'make',
  asset_model: 'model',
  asset_serial: 'serial',
  asset_os: 'os',
  asset_uri: 'uri',
  asset_uri_2: 'uri2',
  asset_uri_client: 'uriClient',
  asset_status: 'status',
  asset_purchase_reference: 'purchaseReference',
  asset_purchase_date: 'purchaseDate',
  asset_warranty_expire: 'warrantyExpire',
  asset_install_date: 'installDate',
  install_date: 'installDate',
  asset_physical_location: 'physicalLocation',
  asset_notes: 'notes',
  asset_favorite: 'favorite',
  asset_vendor_id: 'vendorId',
  asset_location_id: 'locationId',
  asset_contact_id: 'contactId',
};
export const V1_INTERFACE_FIELDS: Record<string, string> = { asset_ip: 'ip', asset_mac: 'mac', asset_network_id: 'networkId' };

/** The rules' field name → the v1 name, for error messages. */
export function v1FieldName(field: string): string {
  if (field === 'clientId') return 'client_id';
  if (field.startsWith('primaryInterface.')) {
    const inner = field.slice('primaryInterface.'.length);
    // An IPv6 address sent as asset_ip is kept as the interface's IPv6.
    if (inner === 'ipv6') return 'asset_ip';
    return Object.entries(V1_INTERFACE_FIELDS).find(([, f]) => f === inner)?.[0] ?? `interface_${inner}`;
  }
  return Object.entries(V1_ASSET_FIELDS).find(([, f]) => f === field)?.[0] ?? field;
}
