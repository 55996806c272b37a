// Pages for two-factor sign-in: the code step of signing in, and the user's own setup page.
import { AppPage, BarePage, type Shell } from '../web/layout.tsx';
import { CsrfField, TextField } from '../web/forms.tsx';
import { plural } from '../web/plural.ts';

export function CodePage({ csrf, next, error }: { csrf: string; next?: string | undefined; error?: string | undefined }) {
  return (
    <BarePage title="Two-factor code">
      <h1 class="h3 mb-3">One more step</h1>
      <p class="text-body-secondary">Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
      {error ? (
        <div class="alert alert-danger py-2" role="alert">
          {error}
        </div>
      ) : null}
      <form method="post" action="/sign-in/code" class="card card-body">
        <CsrfField token={csrf} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <TextField name="code" label="Code" required autocomplete="one-time-code" autofocus />
        <button class="btn btn-primary" type="submit">
          Continue
        </button>
      </form>
      <form method="post" action="/sign-out" class="mt-3">
        <CsrfField token={csrf} />
        <button class="btn btn-link p-0" type="submit">
          Cancel and sign out
        </button>
      </form>
    </BarePage>
  );
}

export interface TwoFactorSetup {
  secret: string;
  qrDataUrl: string;
}

export function TwoFactorPage({
  shell,
  enabled,
  recoveryCodesLeft,
  setup,
  codes,
  error,
}: {
  shell: Shell;
  enabled: boolean;
  recoveryCodesLeft: number;
  setup?: TwoFactorSetup | undefined;
  codes?: string[] | undefined;
  error?: string | undefined;
}) {
  const csrf = shell.session.csrfToken;
  return (
    <AppPage title="Two-factor sign-in" shell={shell}>
      <div class="bare-page">
        <h1 class="h4 mb-3">Two-factor sign-in</h1>
        {error ? (
          <div class="alert alert-danger py-2" role="alert">
            {error}
          </div>
        ) : null}
        {codes ? (
          <div class="alert alert-success">
            <p class="mb-2">
              <strong>Two-factor sign-in is on.</strong> Keep these recovery codes somewhere safe: each works once, if your phone is lost. They are not shown
              again.
            </p>
            <ul class="mono mb-0" aria-label="Recovery codes">
              {codes.map((c) => (
                <li>{c}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {enabled ? (
          <>
            <p>
              Two-factor sign-in is <strong>on</strong>. {plural(recoveryCodesLeft, 'recovery code')} left.
            </p>
            <form method="post" action="/account/two-factor/disable" class="card card-body">
              <CsrfField token={csrf} />
              <TextField name="password" label="Your password, to turn it off" type="password" required autocomplete="current-password" />
              <button class="btn btn-outline-danger" type="submit">
                Turn off two-factor sign-in
              </button>
            </form>
          </>
        ) : setup ? (
          <>
            <p>Scan this code with an authenticator app (or type the key), then enter the 6-digit code it shows.</p>
            <img src={setup.qrDataUrl} alt="QR code for your authenticator app" width={200} height={200} class="mb-2" />
            <p class="small">
              Key:{' '}
              <span class="mono" data-testid="totp-secret">
                {setup.secret}
              </span>
            </p>
            <form method="post" action="/account/two-factor/enable" class="card card-body">
              <CsrfField token={csrf} />
              <input type="hidden" name="secret" value={setup.secret} />
              <TextField name="code" label="Code from the app" required autocomplete="one-time-code" />
              <button class="btn btn-primary" type="submit">
                Turn on two-factor sign-in
              </button>
            </form>
          </>
        ) : null}
      </div>
    </AppPage>
  );
}
