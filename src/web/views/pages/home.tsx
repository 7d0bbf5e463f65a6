import { FRAMEWORK_SHORT_NAMES } from '../../../domain/vocabulary';

export function HomePage({ firmCount }: { firmCount: number }) {
  return (
    <>
      <section class="hero">
        <h1>Tell us your stage, framework and timeline once. Meet three audit firms that fit.</h1>
        <p class="lead">
          Auditmatch helps you pick the compliance framework you need — SOC 2, ISO/IEC 42001,
          ISO/IEC 27001 and more — understand what the audit involves, and then get itemised quotes
          from up to three qualified firms. Compare the quotes, then one short call with the firm
          you pick — not five sales pitches.
        </p>
        <p>
          <a class="button" href="/match">
            See your three firms
          </a>{' '}
          <a class="button button-secondary" href="/advisor">
            Which framework do I need?
          </a>
        </p>
        <p class="muted">Free for buyers · No spam · Independent of every firm listed</p>
      </section>

      <section aria-labelledby="promises">
        <h2 id="promises">Three promises the software keeps</h2>
        <ul class="promises">
          <li class="card">
            <h3>At most three firms, only with your consent</h3>
            <p>
              You choose which of the proposed firms receive your anonymised brief — never more than
              three at a time. They quote without knowing who you are; your details reach a firm
              only when you book its call or choose to share them.
            </p>
          </li>
          <li class="card">
            <h3>Only qualified, independent firms</h3>
            <p>
              A firm is proposed for a framework only with a verified, current credential for it: a
              licensed CPA firm with a peer review for SOC reports, an accreditation naming the
              standard for ISO certificates. A firm that built your controls is never proposed to
              audit them.
            </p>
          </li>
          <li class="card">
            <h3>Ranking money cannot buy</h3>
            <p>
              The ranking uses fit alone: your stage, scope, timeline, region, budget and the firm's
              track record. No firm can pay to be placed higher.{' '}
              <a href="/how-matching-works">How matching works</a>.
            </p>
          </li>
        </ul>
      </section>

      <section aria-labelledby="how">
        <h2 id="how">How it works</h2>
        <ol class="steps">
          <li>
            Describe your scope once: frameworks, stage, headcount, region and the date you need the
            report.
          </li>
          <li>See the three firms that fit and why, before you give any contact details.</li>
          <li>Confirm your email and choose which firms may quote.</li>
          <li>
            Each firm reads your anonymised brief; a firm that accepts commits to quote, and may ask
            you questions here.
          </li>
          <li>
            Compare the itemised quotes side by side on your private page: year one and the whole
            cycle, nothing hidden.
          </li>
          <li>
            Book one short call with the firm you pick, in your time zone. Only that firm gets your
            details.
          </li>
        </ol>
      </section>

      <section aria-labelledby="learn">
        <h2 id="learn">Learn before you buy</h2>
        <ul class="grid">
          <li class="card">
            <h3>
              <a href="/compare/soc2-vs-iso42001">SOC 2 vs ISO/IEC 42001</a>
            </h3>
            <p>Different questions, different auditors: what each proves, and which to do first.</p>
          </li>
          <li class="card">
            <h3>
              <a href="/frameworks">All frameworks</a>
            </h3>
            <p>
              {Object.values(FRAMEWORK_SHORT_NAMES).join(', ')}: who may audit each, the cycle and
              the variants.
            </p>
          </li>
          <li class="card">
            <h3>
              <a href="/firms">The firm directory</a>
            </h3>
            <p>{firmCount} firms with their services, regions and credential status.</p>
          </li>
        </ul>
      </section>
    </>
  );
}
