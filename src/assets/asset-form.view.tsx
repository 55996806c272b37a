// Add, edit and copy: every field is on the form, so nothing the user did not touch changes; a type
// or status that is not in the lists stays selectable as it is (ITFlow turned them into "Laptop").
import { AppPage, type Shell } from '../web/layout.tsx';
import { CsrfField, SelectField, TextArea, TextField, type FieldErrors } from '../web/forms.tsx';
import { TagOptions } from '../tags/tag-chip.tsx';
import { ASSET_COLUMNS, ASSET_FIELDS, EDITABLE_FIELDS, type EditableField, HAND_PLACED_FIELDS } from './asset-fields.ts';

export type AssetFormValues = Record<string, string>;

export interface AssetFormView {
  shell: Shell;
  mode: 'add' | 'edit' | 'copy';
  action: string;
  clientName: string;
  values: AssetFormValues;
  errors: FieldErrors;
  /** After an edit conflict: the values saved meanwhile where they differ from the user's. */
  saved?: Record<string, string>;
  types: string[];
  statuses: string[];
  choices: { locations: Option[]; contacts: Option[]; vendors: Option[]; networks: Option[] };
  /** The existing tags, offered as the tag box is typed in (add and copy; the asset page edits an asset's tags). */
  tagChoices?: Array<{ name: string }>;
  cancelHref: string;
}

type Option = { value: string; label: string };

function withCurrent(list: string[], current: string | undefined): Option[] {
  const names = current && !list.includes(current) ? [...list, current] : list;
  return [{ value: '', label: '—' }, ...names.map((n) => ({ value: n, label: n }))];
}

const none = (options: Option[]) => [{ value: '', label: '—' }, ...options];

/** Fields the form does not place by hand: a "More" section after the others. */
const OTHER_FIELDS = EDITABLE_FIELDS.filter((f) => !HAND_PLACED_FIELDS.has(f));

/** An input for a field the form does not place by hand, chosen by its kind. */
function PlainInput({ field, x, e, n }: { field: EditableField; x: AssetFormValues; e: FieldErrors; n: Record<string, string> }) {
  const def: { kind: string; label: string; long?: boolean } = ASSET_FIELDS[field];
  const name = ASSET_COLUMNS[field];
  if (def.kind === 'flag') {
    return (
      <div class="form-check mb-3">
        <input type="hidden" name={name} value="0" />
        <input class="form-check-input" type="checkbox" id={`f-${name}`} name={name} value="1" checked={x[name] === '1'} />
        <label class="form-check-label" for={`f-${name}`}>
          {def.label}
        </label>
      </div>
    );
  }
  if (def.long) return <TextArea name={name} label={def.label} value={x[name]} error={e[name]} saved={n[name]} />;
  return <TextField name={name} label={def.label} type={def.kind === 'date' ? 'date' : 'text'} value={x[name]} error={e[name]} saved={n[name]} />;
}

/** The tag box: names, comma-separated, with the existing tags as type-ahead; a new name becomes a new tag. */
function TagsField({ value, error, choices }: { value: string | undefined; error: string | undefined; choices: Array<{ name: string }> }) {
  return (
    <div class="mb-3">
      <label class="form-label" for="f-tags">
        Tags
      </label>
      <input
        id="f-tags"
        name="tags"
        value={value ?? ''}
        list="f-tags-options"
        autocomplete="off"
        data-tag-input
        class={`form-control${error ? ' is-invalid' : ''}`}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={`f-tags-help${error ? ' f-tags-error' : ''}`}
      />
      <TagOptions id="f-tags-options" tags={choices} />
      {error ? (
        <div id="f-tags-error" class="invalid-feedback">
          {error}
        </div>
      ) : null}
      <div id="f-tags-help" class="form-text">
        Comma-separated; a name no tag has yet becomes a new tag.
      </div>
    </div>
  );
}

export function AssetFormPage(v: AssetFormView) {
  const { values: x, errors: e } = v;
  const n = v.saved ?? {};
  const title = v.mode === 'add' ? `Add an asset to ${v.clientName}` : v.mode === 'copy' ? `Copy ${x.source_name ?? 'asset'}` : `Edit ${x.name ?? ''}`;
  return (
    <AppPage title={title} shell={v.shell}>
      <h1 class="h4 mb-3">{title}</h1>
      {Object.keys(e).some((k) => k !== 'form') ? (
        <div class="alert alert-danger py-2" role="alert">
          Nothing was saved. Correct the fields marked below.
        </div>
      ) : null}
      {e.form ? (
        <div class="alert alert-warning py-2" role="alert">
          {e.form}
        </div>
      ) : null}
      <form method="post" action={v.action} novalidate>
        <CsrfField token={v.shell.session.csrfToken} />
        {x.version ? <input type="hidden" name="version" value={x.version} /> : null}
        <div class="row">
          <div class="col-lg-6">
            <fieldset>
              <legend class="h6 text-uppercase text-body-secondary">The device</legend>
              <TextField name="name" label="Name" value={x.name} error={e.name} saved={n.name} required autofocus />
              <div class="row">
                <div class="col-md-6">
                  <SelectField name="type" label="Type" value={x.type} error={e.type} saved={n.type} options={withCurrent(v.types, x.type)} />
                </div>
                <div class="col-md-6">
                  <SelectField name="status" label="Status" value={x.status} error={e.status} saved={n.status} options={withCurrent(v.statuses, x.status)} />
                </div>
              </div>
              <div class="row">
                <div class="col-md-6">
                  <TextField name="make" label="Make" value={x.make} error={e.make} saved={n.make} />
                </div>
                <div class="col-md-6">
                  <TextField name="model" label="Model" value={x.model} error={e.model} saved={n.model} />
                </div>
              </div>
              <div class="row">
                <div class="col-md-6">
                  <TextField name="serial" label="Serial" value={x.serial} error={e.serial} saved={n.serial} />
                </div>
                <div class="col-md-6">
                  <TextField name="os" label="Operating system" value={x.os} error={e.os} saved={n.os} />
                </div>
              </div>
              <TextArea name="description" label="Description" value={x.description} error={e.description} saved={n.description} rows={2} />
              {v.mode === 'edit' ? null : <TagsField value={x.tags} error={e.tags} choices={v.tagChoices ?? []} />}
            </fieldset>
            <fieldset>
              <legend class="h6 text-uppercase text-body-secondary">Primary interface</legend>
              <div class="row">
                <div class="col-md-4">
                  <TextField name="ip" label="IP address" value={x.ip} error={e.ip} saved={n.ip} help="IPv4 or DHCP" />
                </div>
                <div class="col-md-4">
                  <TextField name="mac" label="MAC address" value={x.mac} error={e.mac} saved={n.mac} />
                </div>
                <div class="col-md-4">
                  <SelectField
                    name="network_id"
                    label="Network"
                    value={x.network_id}
                    error={e.network_id}
                    saved={n.network_id}
                    options={none(v.choices.networks)}
                  />
                </div>
              </div>
            </fieldset>
          </div>
          <div class="col-lg-6">
            <fieldset>
              <legend class="h6 text-uppercase text-body-secondary">Where and who</legend>
              <div class="row">
                <div class="col-md-6">
                  <SelectField
                    name="contact_id"
                    label="Assigned to"
                    value={x.contact_id}
                    error={e.contact_id}
                    saved={n.contact_id}
                    options={none(v.choices.contacts)}
                  />
                </div>
                <div class="col-md-6">
                  <SelectField
                    name="location_id"
                    label="Location"
                    value={x.location_id}
                    error={e.location_id}
                    saved={n.location_id}
                    options={none(v.choices.locations)}
                  />
                </div>
              </div>
              <TextField
                name="physical_location"
                label="Physical location"
                value={x.physical_location}
                error={e.physical_location}
                saved={n.physical_location}
                help="Rack, room or desk"
              />
            </fieldset>
            <fieldset>
              <legend class="h6 text-uppercase text-body-secondary">Purchase and warranty</legend>
              <div class="row">
                <div class="col-md-6">
                  <SelectField name="vendor_id" label="Vendor" value={x.vendor_id} error={e.vendor_id} saved={n.vendor_id} options={none(v.choices.vendors)} />
                </div>
                <div class="col-md-6">
                  <TextField
                    name="purchase_reference"
                    label="Purchase reference"
                    value={x.purchase_reference}
                    error={e.purchase_reference}
                    saved={n.purchase_reference}
                  />
                </div>
              </div>
              <div class="row">
                <div class="col-md-4">
                  <TextField name="purchase_date" label="Purchase date" type="date" value={x.purchase_date} error={e.purchase_date} saved={n.purchase_date} />
                </div>
                <div class="col-md-4">
                  <TextField name="install_date" label="Install date" type="date" value={x.install_date} error={e.install_date} saved={n.install_date} />
                </div>
                <div class="col-md-4">
                  <TextField
                    name="warranty_expire"
                    label="Warranty expires"
                    type="date"
                    value={x.warranty_expire}
                    error={e.warranty_expire}
                    saved={n.warranty_expire}
                  />
                </div>
              </div>
            </fieldset>
            <fieldset>
              <legend class="h6 text-uppercase text-body-secondary">Links and notes</legend>
              <TextField name="uri" label="URI" value={x.uri} error={e.uri} saved={n.uri} />
              <div class="row">
                <div class="col-md-6">
                  <TextField name="uri_2" label="URI 2" value={x.uri_2} error={e.uri_2} saved={n.uri_2} />
                </div>
                <div class="col-md-6">
                  <TextField name="uri_client" label="Client URI" value={x.uri_client} error={e.uri_client} saved={n.uri_client} />
                </div>
              </div>
              <TextArea name="notes" label="Notes" value={x.notes} error={e.notes} saved={n.notes} />
              <div class="form-check mb-3">
                <input type="hidden" name="favorite" value="0" />
                <input class="form-check-input" type="checkbox" id="f-favorite" name="favorite" value="1" checked={x.favorite === '1'} />
                <label class="form-check-label" for="f-favorite">
                  Favorite
                </label>
                {n.favorite !== undefined ? (
                  <div class="form-text text-warning-emphasis" data-saved-meanwhile>
                    Saved meanwhile: <strong>{n.favorite === '1' ? 'starred' : 'not starred'}</strong>
                  </div>
                ) : null}
              </div>
            </fieldset>
            {OTHER_FIELDS.length ? (
              <fieldset>
                <legend class="h6 text-uppercase text-body-secondary">More</legend>
                {OTHER_FIELDS.map((field) => (
                  <PlainInput key={field} field={field} x={x} e={e} n={n} />
                ))}
              </fieldset>
            ) : null}
          </div>
        </div>
        <div class="d-flex gap-2">
          <button class="btn btn-primary" type="submit">
            {v.mode === 'edit' ? 'Save changes' : 'Save asset'}
          </button>
          <a class="btn btn-outline-secondary" href={v.cancelHref}>
            Cancel
          </a>
        </div>
      </form>
    </AppPage>
  );
}
