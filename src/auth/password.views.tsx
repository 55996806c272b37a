// The user's own password: the page to change it (from the user menu), and the page a user whose
// password an administrator reset sees after signing in, until they choose a new one.
import type { Flash } from '../web/flash.ts';
import { CsrfField, TextField, type FieldErrors } from '../web/forms.tsx';
import { AppPage, BarePage, FlashMessage, type Shell } from '../web/layout.tsx';

const NEW_PASSWORD_HELP = 'At least 12 characters, not easy to guess: a few unrelated words work well.';

function NewPasswordFields({ errors }: { errors: FieldErrors }) {
  return (
    <>
      <TextField name="password" label="New password" type="password" error={errors.password} required autocomplete="new-password" help={NEW_PASSWORD_HELP} />
      <TextField name="password_confirm" label="New password again" type="password" error={errors.password_confirm} required autocomplete="new-password" />
    </>
  );
}

export function ChangePasswordPage({ shell, errors }: { shell: Shell; errors: FieldErrors }) {
  return (
    <AppPage title="Password" shell={shell}>
      <div class="bare-page">
        <h1 class="h4 mb-3">Change your password</h1>
        <p class="text-body-secondary">Your other sessions (other browsers and devices) are signed out when you change it.</p>
        <form method="post" action="/account/password" class="card card-body" novalidate>
          <CsrfField token={shell.session.csrfToken} />
          <TextField
            name="current_password"
            label="Current password"
            type="password"
            error={errors.current_password}
            required
            autocomplete="current-password"
            autofocus
          />
          <NewPasswordFields errors={errors} />
          <button class="btn btn-primary" type="submit">
            Change password
          </button>
        </form>
      </div>
    </AppPage>
  );
}

export function ChoosePasswordPage({ csrf, name, errors, flash }: { csrf: string; name: string; errors: FieldErrors; flash?: Flash | null }) {
  return (
    <BarePage title="Choose a new password">
      <h1 class="h3 mb-1">Choose a new password</h1>
      <p class="text-body-secondary">{name}, an administrator reset your password. Choose a new one that only you know before you continue.</p>
      <FlashMessage flash={flash} />
      <form method="post" action="/account/password" class="card card-body" novalidate>
        <CsrfField token={csrf} />
        <NewPasswordFields errors={errors} />
        <button class="btn btn-primary" type="submit">
          Save and continue
        </button>
      </form>
      <form method="post" action="/sign-out" class="mt-3">
        <CsrfField token={csrf} />
        <button class="btn btn-link p-0" type="submit">
          Sign out
        </button>
      </form>
    </BarePage>
  );
}
