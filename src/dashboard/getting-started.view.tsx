// The "Getting started" checklist: four steps, each ticked once done and linking to where it is done.
import type { ComponentChildren } from 'preact';
import { CsrfField } from '../web/forms.tsx';
import { AppPage, type Shell } from '../web/layout.tsx';
import type { GettingStarted, StepKey } from './getting-started.query.ts';

interface Step {
  key: StepKey;
  title: string;
  why: string;
  links: { href: string; label: string }[];
}

function stepsOf(g: GettingStarted): Step[] {
  const client = g.firstClientId;
  return [
    {
      key: 'client',
      title: 'Add a client',
      why: 'Every asset belongs to a client: one of the companies you look after.',
      links: [{ href: '/clients/new', label: 'Add a client' }],
    },
    {
      key: 'asset',
      title: 'Add or import assets',
      why: 'Type in one computer, or bring in a spreadsheet of them as CSV.',
      links: client
        ? [
            { href: `/assets/new?client_id=${client}`, label: 'Add an asset' },
            { href: '/assets/import', label: 'Import a CSV file' },
          ]
        : [{ href: '/assets/import', label: 'Import a CSV file' }],
    },
    {
      key: 'colleague',
      title: 'Invite a colleague',
      why: 'Add a user for each technician, with the role that fits.',
      links: [{ href: '/admin/users/new', label: 'Add a user' }],
    },
    {
      key: 'apiKey',
      title: 'Create an API key',
      why: 'For your RMM or scripts to read and update assets (ITFlow-compatible API).',
      links: [{ href: '/admin/api-keys', label: 'Create an API key' }],
    },
  ];
}

/** "2 of 4 steps done". */
export function progressText(g: GettingStarted): string {
  return `${Object.values(g.steps).filter(Boolean).length} of 4 steps done`;
}

export function GettingStartedChecklist({ g, csrf }: { g: GettingStarted; csrf: string }) {
  return (
    <section class="getting-started card" aria-labelledby="getting-started-title">
      <div class="card-header d-flex flex-wrap align-items-center gap-2">
        <h2 id="getting-started-title" class="h5 mb-0 me-auto">
          Getting started
        </h2>
        <span class="small text-body-secondary" data-progress>
          {progressText(g)}
        </span>
      </div>
      <ol class="list-group list-group-flush">
        {stepsOf(g).map((step, i) => {
          const done = g.steps[step.key];
          return (
            <li class={`list-group-item d-flex gap-3 align-items-start${done ? ' is-done' : ''}`} data-step={step.key} data-done={done ? 'yes' : 'no'}>
              <span class={`getting-started-mark${done ? ' text-bg-success' : ' border'}`} aria-hidden="true">
                {done ? '✓' : String(i + 1)}
              </span>
              <div class="flex-grow-1">
                <div class="fw-semibold">
                  {step.title}
                  <span class={`ms-2 badge ${done ? 'text-bg-success' : 'text-bg-light border'}`}>{done ? 'Done' : 'To do'}</span>
                </div>
                <div class="small text-body-secondary">{step.why}</div>
                <div class="d-flex flex-wrap gap-2 mt-1">
                  {step.links.map((l, j) => (
                    <a class={`btn btn-sm ${done || j > 0 ? 'btn-outline-primary' : 'btn-primary'}`} href={l.href}>
                      {l.label}
                    </a>
                  ))}
                </div>
              </div>
            </li>
          );
        })}
      </ol>
      <div class="card-body border-top d-flex flex-wrap align-items-center gap-2">
        <HideForm hidden={g.hidden} csrf={csrf}>
          {g.hidden ? 'Show this checklist on the asset list again' : 'Hide this checklist'}
        </HideForm>
        <a class="small ms-auto" href="/dashboard">
          Go to the dashboard
        </a>
      </div>
    </section>
  );
}

function HideForm({ hidden, csrf, children }: { hidden: boolean; csrf: string; children: ComponentChildren }) {
  return (
    <form method="post" action="/welcome/hide">
      <CsrfField token={csrf} />
      <input type="hidden" name="hidden" value={hidden ? '0' : '1'} />
      <button class="btn btn-sm btn-outline-secondary" type="submit">
        {children}
      </button>
    </form>
  );
}

export function GettingStartedPage({ shell, g }: { shell: Shell; g: GettingStarted }) {
  return (
    <AppPage title="Getting started" shell={shell}>
      <h1 class="h4">Welcome to Steward</h1>
      <p class="text-body-secondary">
        {g.complete
          ? 'Everything is set up. The asset list is where you will spend your days.'
          : 'Four steps to a register your team can use. Each is ticked once it is done.'}
      </p>
      <GettingStartedChecklist g={g} csrf={shell.session.csrfToken} />
      {g.complete ? (
        <p class="mt-3">
          <a class="btn btn-primary" href="/assets">
            Go to the assets
          </a>
        </p>
      ) : null}
    </AppPage>
  );
}
