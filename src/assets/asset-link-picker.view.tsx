// The "link a login / service / ticket" pickers of the asset page. They start empty, with a search box:
// without JavaScript the search is a plain GET that answers a page of matching choices, each with its
// own Link button; with htmx the same answer (as a fragment) fills the list as the user types.
import type { ComponentChildren } from 'preact';
import { CsrfField } from '../web/forms.tsx';
import type { LinkKind } from './asset-pages.query.ts';

const searchPath = (assetId: number, kind: LinkKind) => `/assets/${assetId}/${kind}s/search`;

/** The search box of a picker, and the place its choices appear. */
export function LinkPicker({ assetId, kind, q = '', results }: { assetId: number; kind: LinkKind; q?: string; results?: ComponentChildren }) {
  const path = searchPath(assetId, kind);
  const target = `#${kind}-choices`;
  return (
    <div class="link-picker">
      <form method="get" action={path} class="d-flex gap-2" role="search" aria-label={`Link a ${kind}`} hx-get={path} hx-target={target}>
        <label class="visually-hidden" for={`find-${kind}`}>{`Find a ${kind} to link`}</label>
        <input
          id={`find-${kind}`}
          class="form-control form-control-sm"
          type="search"
          name="q"
          value={q}
          placeholder={`Find a ${kind} to link…`}
          autocomplete="off"
          hx-get={path}
          hx-trigger="input changed delay:300ms, search"
          hx-target={target}
        />
        <button class="btn btn-sm btn-outline-secondary" type="submit">
          Search
        </button>
      </form>
      <div id={`${kind}-choices`} aria-live="polite">
        {results}
      </div>
    </div>
  );
}

/** The choices a search found, each a one-button form that links it to the asset. */
export function LinkChoices({
  assetId,
  kind,
  q,
  choices,
  more,
  csrf,
}: {
  assetId: number;
  kind: LinkKind;
  q: string;
  choices: Array<{ id: number; label: string }>;
  more: boolean;
  csrf: string;
}) {
  if (!q.trim())
    return <p class="small text-body-secondary mb-0 mt-1">{`Type part of a ${kind === 'ticket' ? "ticket's subject or number" : `${kind}'s name`}.`}</p>;
  if (choices.length === 0) return <p class="small text-body-secondary mb-0 mt-1">{`No ${kind} of this client left to link matches "${q.trim()}".`}</p>;
  return (
    <>
      <ul class="list-unstyled small mt-1 mb-0" aria-label={`${kind}s matching ${q.trim()}`}>
        {choices.map((c) => (
          <li class="d-flex gap-2 align-items-center mb-1">
            <form method="post" action={`/assets/${assetId}/${kind}s`}>
              <CsrfField token={csrf} />
              <input type="hidden" name={`${kind}_id`} value={String(c.id)} />
              <button class="btn btn-sm btn-outline-secondary py-0" type="submit" aria-label={`Link ${c.label}`}>
                Link
              </button>
            </form>
            <span class="text-break">{c.label}</span>
          </li>
        ))}
      </ul>
      {more ? <p class="small text-body-secondary mb-0">More match: type more of the name.</p> : null}
    </>
  );
}
