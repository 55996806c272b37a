// The pages before the app shell: first-run setup and sign-in.
import { BarePage } from '../web/layout.tsx';
import { CsrfField, TextField, type FieldErrors } from '../web/forms.tsx';
import type { Flash } from '../web/flash.ts';

export interface SetupValues {
  company?: string;
  name?: string;
  email?: string;
}

export function SetupPage({ csrf, values, errors }: { csrf: string; values: SetupValues; errors: FieldErrors }) {
  return (
    <BarePage title="Set up Steward">
      <h1 class="h3 mb-1">Welcome to Steward</h1>
      <p class="text-body-secondary">Name your company and create the first administrator. You can add technicians afterwards.</p>
      {errors.form ? (
        <div class="alert alert-danger py-2" role="alert">
          {errors.form}
        </div>
      ) : null}
      <form method="post" action="/setup" class="card card-body" novalidate>
        <CsrfField token={csrf} />
        <TextField name="company" label="Company name" value={values.company} error={errors.company} required autofocus />
        <TextField name="name" label="Your name" value={values.name} error={errors.name} required autocomplete="name" />
        <TextField name="email" label="Email" type="email" value={values.email} error={errors.email} required autocomplete="username" />
        <TextField
          name="password"
          label="Password"
          type="password"
          error={errors.password}
          required
          autocomplete="new-password"
          help="At least 12 characters, not easy to guess: a few unrelated words work well."
        />
        <TextField name="password_confirm" label="Password again" type="password" error={errors.password_confirm} required autocomplete="new-password" />
        <button class="btn btn-primary" type="submit">
          Create administrator and sign in
        </button>
      </form>
    </BarePage>
  );
}

export function SignInPage({ csrf, email, next, error, flash }: { csrf: string; email?: string; next?: string; error?: string; flash?: Flash | null }) {
  return (
    <BarePage title="Sign in">
      <h1 class="h3 mb-3">Sign in to Steward</h1>
      {flash ? (
        <div class={`alert alert-${flash.kind} py-2`} role="status">
          {flash.text}
        </div>
      ) : null}
      {error ? (
        <div class="alert alert-danger py-2" role="alert">
          {error}
        </div>
      ) : null}
      <form method="post" action="/sign-in" class="card card-body">
        <CsrfField token={csrf} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <TextField name="email" label="Email" type="email" value={email} required autocomplete="username" autofocus={!email} />
        <TextField name="password" label="Password" type="password" required autocomplete="current-password" autofocus={Boolean(email)} />
        <button class="btn btn-primary" type="submit">
          Sign in
        </button>
      </form>
    </BarePage>
  );
}
