import type { MatchResult, Proposal } from '../../../../domain/matching';
import { longDate } from '../../../../domain/matching/dates';
import { FRAMEWORK_SHORT_NAMES } from '../../../../domain/vocabulary';
import { CONSENT_TEXT } from '../../../../services/intake/schemas';
import type { FormFields } from '../../../forms/fields';
import { ErrorSummary, ErrorText } from '../../components/forms';
import { type FieldSpec, Fields } from '../../components/form-fields';
import { Notice } from '../../components/notices';
import { PostForm, Submit } from '../../components/post-form';
import { HiddenScope, ScopeFields } from '../../components/scope-fields';
import { PageHeader } from '../../layout';
import { TextList } from '../../components/text-list';

export function ProposalCard({
  p,
  children,
}: {
  p: Proposal;
  children?: preact.ComponentChildren;
}) {
  return (
    <li class="card">
      <h3>
        <a href={`/firms/${p.slug}`}>{p.name}</a>
      </h3>
      <p class="muted">Fit {Math.round(p.score)} / 100</p>
      {(p.priceBands ?? []).map((b) => (
        <p key={b.framework}>
          {FRAMEWORK_SHORT_NAMES[b.framework]} price band for your size:{' '}
          {usdRange(b.minUsd, b.maxUsd)}
        </p>
      ))}
      <h4 class="visually-hidden">Why this firm</h4>
      <TextList items={p.reasons} />
      {children}
    </li>
  );
}

const usdRange = (min: number, max: number) =>
  `$${min.toLocaleString('en-US')}–$${max.toLocaleString('en-US')}`;

/**
 * The buyer's scope sent again with another date: one click from "too soon" to a request that
 * can be met, instead of a dead end.
 */
export function UseDateInstead({
  date,
  today,
  pairs,
}: {
  date: string;
  today: string;
  pairs: [string, string][];
}) {
  return (
    <form method="get" action="/match#results-title" class="inline-form">
      <input type="hidden" name="preview" value="1" />
      <HiddenScope pairs={[...pairs.filter(([n]) => n !== 'neededBy'), ['neededBy', date]]} />
      <Submit>Use {longDate(date, today)} instead</Submit>
    </form>
  );
}

export function MatchResults({
  result,
  scopePairs,
}: {
  result: MatchResult;
  scopePairs?: [string, string][] | null;
}) {
  const today = result.inputs.context.today;
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">
        {result.proposals.length === 0
          ? 'No firm fits this scope yet'
          : result.proposals.length === 1
            ? 'The firm that fits'
            : `The ${result.proposals.length} firms that fit`}
      </h2>
      {result.deadline.message || result.suggestedNeededBy ? (
        <Notice>
          {result.deadline.message ? <p>{result.deadline.message}</p> : null}
          {result.suggestedNeededBy &&
          result.suggestedNeededBy !== result.deadline.earliest &&
          result.deadline.status === 'ok' ? (
            <p>
              The firms ruled out by your date alone can deliver by{' '}
              {longDate(result.suggestedNeededBy, today)}.
            </p>
          ) : null}
          {result.suggestedNeededBy && scopePairs ? (
            <UseDateInstead date={result.suggestedNeededBy} today={today} pairs={scopePairs} />
          ) : null}
        </Notice>
      ) : null}
      {result.shortfall ? (
        <Notice>
          <p>
            <strong>{result.shortfall.message}</strong>
          </p>
          {result.shortfall.cutBy.length > 0 ? (
            <>
              <p>What ruled firms out:</p>
              <ul>
                {result.shortfall.cutBy.slice(0, 4).map((c) => (
                  <li key={c.code}>{c.message}</li>
                ))}
              </ul>
            </>
          ) : null}
        </Notice>
      ) : null}
      <ol class="grid">
        {result.proposals.map((p) => (
          <ProposalCard key={p.firmId} p={p} />
        ))}
      </ol>
      {result.partialFits.length > 0 ? (
        <>
          <h3>Close, but not a fit</h3>
          <p class="muted">
            These firms miss one of your requirements, so we will not send them your brief unless
            you change it.
          </p>
          <ul>
            {result.partialFits.map((f) => (
              <li key={f.firmId}>
                <a href={`/firms/${f.slug}`}>{f.name}</a>: {f.failures[0]?.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {result.notes.length > 0 ? <TextList items={result.notes} class="muted" /> : null}
      <p class="muted">
        Ranked by fit alone. <a href="/how-matching-works">How matching works</a>.
      </p>
    </section>
  );
}

/** Who asks for the quotes: what the firms that accept the brief receive. */
const CONTACT_FIELDS: FieldSpec[] = [
  { name: 'name', label: 'Your name', autocomplete: 'name', required: true },
  { name: 'email', label: 'Work email', type: 'email', autocomplete: 'email', required: true },
  { name: 'company', label: 'Company', autocomplete: 'organization', required: true },
  { name: 'phone', label: 'Phone (optional)', type: 'tel', autocomplete: 'tel' },
];

export function MatchPage({
  fields,
  errors,
  result,
  scopePairs,
  csrf,
}: {
  fields: FormFields;
  errors: Record<string, string>;
  result: MatchResult | null;
  scopePairs: [string, string][] | null;
  csrf: string;
}) {
  return (
    <>
      <PageHeader
        title="Three firms that fit"
        lead="Tell us your scope once. See the firms that fit and why, before you give any contact details."
      />
      <ErrorSummary errors={errors} />
      <form method="get" action="/match#results-title" class="no-print" novalidate>
        <input type="hidden" name="preview" value="1" />
        <ScopeFields fields={fields} errors={scopePairs ? {} : errors} />
        <Submit>Show my firms</Submit>
      </form>
      {result ? <MatchResults result={result} scopePairs={scopePairs} /> : null}
      {scopePairs && result && result.proposals.length > 0 ? (
        <section aria-labelledby="request-title">
          <h2 id="request-title">Ask these firms for quotes</h2>
          <p>
            We email you a link to confirm your address. Then you choose which firms may contact
            you; each reads an anonymised brief first and gets your details only if it accepts.
          </p>
          <PostForm action="/requests" csrf={csrf} novalidate>
            <HiddenScope pairs={scopePairs} />
            <Fields form={{ fields, errors }} specs={CONTACT_FIELDS} />
            <div class="honeypot" aria-hidden="true">
              <label for="f-website">Leave this field empty</label>
              <input id="f-website" name="website" type="text" tabindex={-1} autocomplete="off" />
            </div>
            <div class="field check">
              <input
                type="checkbox"
                id="f-consent"
                name="consent"
                value="yes"
                aria-invalid={errors.consent ? 'true' : undefined}
                aria-describedby={errors.consent ? 'f-consent-error' : undefined}
              />{' '}
              <label for="f-consent">{CONSENT_TEXT}</label>
              <ErrorText id="f-consent" text={errors.consent} />
            </div>
            <Submit>Send my request</Submit>
          </PostForm>
        </section>
      ) : null}
    </>
  );
}

export function RequestSentPage({ reference }: { reference: string | null }) {
  return (
    <section class="narrow">
      <h1>Check your inbox</h1>
      <p>
        We sent you a link to confirm your email address
        {reference ? ` for request ${reference}` : ''}. Nothing about your request leaves Auditmatch
        until you confirm.
      </p>
      <p class="muted">
        The link works once and expires in 48 hours. No email? Check your spam folder, or send the
        request again.
      </p>
    </section>
  );
}
