// Form building blocks: labelled fields that show the rules' message for that field, and the hidden
// CSRF field every state-changing form carries.
import type { ComponentChildren } from 'preact';
import type { FieldIssue } from '../platform/errors.ts';

export type FieldErrors = Record<string, string>;

/** Issues from a ValidationError keyed by field (the first message per field). */
export function errorsByField(issues: readonly FieldIssue[], rename: (field: string) => string = (f) => f): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) out[rename(issue.field)] ??= fieldMessage(issue.message);
  return out;
}

/** A service's message as a form shows it under its field: a missing value always reads "Required". */
export function fieldMessage(message: string): string {
  if (message.startsWith('is required')) return `Required${message.slice('is required'.length)}`;
  return message.charAt(0).toUpperCase() + message.slice(1);
}

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

interface FieldProps {
  name: string;
  label: string;
  value?: string | null;
  error?: string | undefined;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  help?: ComponentChildren;
  list?: string;
  autofocus?: boolean;
  /** What someone else saved in this field meanwhile (an edit conflict), shown under it. */
  saved?: string | null | undefined;
}

/** The value someone else saved meanwhile, under the field the user is editing. */
function SavedMeanwhile({ id, saved }: { id: string; saved: string | null | undefined }) {
  if (saved === undefined) return null;
  return (
    <div id={`${id}-saved`} class="form-text text-warning-emphasis" data-saved-meanwhile>
      Saved meanwhile: {saved === null || saved === '' ? <em>empty</em> : <strong>{saved}</strong>}
    </div>
  );
}

export function TextField({ name, label, value, error, type = 'text', required, autocomplete, help, list, autofocus, saved }: FieldProps) {
  const id = `f-${name}`;
  return (
    <div class="mb-3">
      <label class="form-label" for={id}>
        {label}
      </label>
      {required ? (
        <span class="text-danger" aria-hidden="true">
          {' '}
          *
        </span>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        value={value ?? ''}
        required={required}
        autocomplete={autocomplete}
        list={list}
        autofocus={autofocus}
        class={`form-control${error ? ' is-invalid' : ''}`}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? (
        <div id={`${id}-error`} class="invalid-feedback">
          {error}
        </div>
      ) : null}
      <SavedMeanwhile id={id} saved={saved} />
      {help ? <div class="form-text">{help}</div> : null}
    </div>
  );
}

export function SelectField({ name, label, value, error, options, required, saved }: FieldProps & { options: Array<{ value: string; label: string }> }) {
  const id = `f-${name}`;
  return (
    <div class="mb-3">
      <label class="form-label" for={id}>
        {label}
      </label>
      {required ? (
        <span class="text-danger" aria-hidden="true">
          {' '}
          *
        </span>
      ) : null}
      <select
        id={id}
        name={name}
        required={required}
        class={`form-select${error ? ' is-invalid' : ''}`}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {options.map((o) => (
          <option value={o.value} selected={o.value === (value ?? '')}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <div id={`${id}-error`} class="invalid-feedback">
          {error}
        </div>
      ) : null}
      <SavedMeanwhile id={id} saved={saved === undefined || saved === '' ? saved : (options.find((o) => o.value === saved)?.label ?? saved)} />
    </div>
  );
}

export function TextArea({ name, label, value, error, rows = 3, saved }: FieldProps & { rows?: number }) {
  const id = `f-${name}`;
  return (
    <div class="mb-3">
      <label class="form-label" for={id}>
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        class={`form-control${error ? ' is-invalid' : ''}`}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {value ?? ''}
      </textarea>
      {error ? (
        <div id={`${id}-error`} class="invalid-feedback">
          {error}
        </div>
      ) : null}
      <SavedMeanwhile id={id} saved={saved} />
    </div>
  );
}

/** A form's string fields (a repeated field keeps its last value). */
export function formFields(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value) && typeof value.at(-1) === 'string') out[key] = value.at(-1) as string;
  }
  return out;
}

/** A form field that may repeat (ticked checkboxes), as a list. */
export function formList(body: unknown, key: string): string[] {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
