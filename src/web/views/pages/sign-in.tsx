import { ErrorText } from '../components/forms';
export function SignInPage({
  csrf,
  error,
  sent,
  next,
}: {
  csrf: string;
  error?: string;
  sent?: boolean;
  next?: string;
}) {
  return (
    <section class="narrow">
      <h1>Sign in</h1>
      {sent ? (
        <p role="status">
          If this address has an Auditmatch account, a sign-in link is on its way. It works once and
          expires in 15 minutes.
        </p>
      ) : (
        <p>
          For audit firms and the Auditmatch team. We email you a link; there is no password to
          remember.
        </p>
      )}
      <form method="post" action="/sign-in" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <div class="field">
          <label for="f-email">Work email</label>
          <input
            id="f-email"
            name="email"
            type="email"
            autocomplete="email"
            required
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'f-email-error' : undefined}
          />
          <ErrorText id="f-email" text={error} />
        </div>
        <button class="button" type="submit">
          Email me a sign-in link
        </button>
      </form>
      <p class="muted">
        Your firm is listed but you have no account?{' '}
        <a href="/firm/apply">Claim your profile or apply</a>.
      </p>
    </section>
  );
}

export function SignInConfirmPage({
  token,
  csrf,
  next,
}: {
  token: string;
  csrf: string;
  next?: string;
}) {
  return (
    <section class="narrow">
      <h1>Sign in to Auditmatch</h1>
      <form method="post" action={`/sign-in/${token}`}>
        <input type="hidden" name="_csrf" value={csrf} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <button class="button" type="submit">
          Sign in
        </button>
      </form>
    </section>
  );
}
