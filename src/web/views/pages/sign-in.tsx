import { EmailField } from '../components/form-fields';
import { ButtonForm, PostForm, Submit } from '../components/post-form';

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
      <PostForm action="/sign-in" csrf={csrf} hidden={next ? { next } : {}} novalidate>
        <EmailField label="Work email" error={error} />
        <Submit>Email me a sign-in link</Submit>
      </PostForm>
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
      <ButtonForm action={`/sign-in/${token}`} csrf={csrf} hidden={next ? { next } : {}}>
        Sign in
      </ButtonForm>
    </section>
  );
}
