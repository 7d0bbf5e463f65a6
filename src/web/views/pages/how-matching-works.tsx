import { ALGORITHM_VERSION } from '../../../domain/matching';
import { READINESS_DOES_NOT_DISQUALIFY } from '../../../domain/matching/eligibility';
import {
  FIT_COMPONENT_LABELS,
  FIT_COMPONENTS,
  FIT_WEIGHTS,
  REVIEW_PRIOR_MEAN,
  REVIEW_PRIOR_WEIGHT,
} from '../../../domain/matching/scoring';
import { NEAR_TIE_POINTS } from '../../../domain/matching/selection';
import { PageHeader } from '../layout';

/** The matching rules in plain words, generated from the constants the matcher uses. */
export function HowMatchingWorksPage({ responseWindowDays }: { responseWindowDays: number }) {
  return (
    <>
      <PageHeader
        title="How matching works"
        lead="The rules that decide which three firms you see, in plain words — including what money cannot buy."
      />
      <h2>1. Only firms that may do the audit</h2>
      <p>
        A firm is considered for your request only if every one of these holds for every framework
        you asked for:
      </p>
      <ul>
        <li>
          It is verified and active, and has not paused the service or used up this month's
          capacity.
        </li>
        <li>It performs the variant you asked for (for example SOC 2 Type 2).</li>
        <li>
          It holds a verified, unexpired credential that qualifies for the framework: a CPA firm
          licence together with a current peer review for SOC reports; for ISO certificates, an
          accreditation under ISO/IEC 17021-1 whose scope names the standard (for ISO/IEC 42001,
          also under ISO/IEC 42006). A certificate sold without accreditation never qualifies.
        </li>
        <li>
          It serves your region and can deliver by the date you need. The audit can start once the
          firm is free and you are ready, whichever comes later: your readiness comes from the same
          timeline model as the <a href="/estimate">estimator</a>, from where you say you start (from
          scratch unless you tell us otherwise). If no firm can make your date, we say so and offer
          the earliest date that works, so you can send the request with it instead. A date that is
          not after today is refused.
        </li>
        <li>You did not exclude it.</li>
        <li>
          It is independent of you: a firm that designed, implemented or operates your controls is
          never proposed as your SOC auditor. {READINESS_DOES_NOT_DISQUALIFY} A certification body
          linked to your management-system consultant in the last two years is never proposed for
          that ISO certificate.
        </li>
      </ul>
      <h2>2. A fit score, with its parts kept</h2>
      <p>Each eligible firm gets a score out of 100, built from these parts:</p>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Part</th>
              <th scope="col">Weight</th>
            </tr>
          </thead>
          <tbody>
            {FIT_COMPONENTS.map((c) => (
              <tr key={c}>
                <th scope="row">{FIT_COMPONENT_LABELS[c]}</th>
                <td>{FIT_WEIGHTS[c]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        Reviews come only from buyers we introduced. A firm without reviews counts as average (
        {REVIEW_PRIOR_MEAN.toFixed(1)} out of 5), and its first reviews move it gently — as if{' '}
        {REVIEW_PRIOR_WEIGHT} average reviews came first — so one glowing or angry review cannot
        decide a ranking. AI specialism counts only when you asked for ISO/IEC 42001 or AI is your
        product.
      </p>
      <h2>3. Three firms, fairly chosen</h2>
      <p>
        We propose the best three. Firms within {NEAR_TIE_POINTS} points of each other take turns in
        the order, so no firm keeps first place among equals. Where a real alternative exists, we
        avoid three firms of the same kind from the same country. The same request at the same
        moment always gives the same answer, and every proposal stores its score, its parts and the
        algorithm version ({ALGORITHM_VERSION}), so it can be explained later.
      </p>
      <p>
        If fewer than three firms qualify, we say so and which rule ruled the others out, rather
        than filling the list.
      </p>
      <h2>4. What money cannot buy</h2>
      <p>
        No firm can pay for a place in your results. Firms may one day pay for tools in their
        workspace, but the ranking has no input for any plan, fee or sponsorship: the matcher is
        given a copy of each firm without those fields, and our tests prove that changing them
        changes no ranking.
      </p>
      <h2>5. Your contact, your choice</h2>
      <ul>
        <li>Nothing leaves Auditmatch until you confirm your email address.</li>
        <li>
          You choose which of the proposed firms receive your anonymised brief — never more than
          three at a time.
        </li>
        <li>
          A firm sees your contact details only after it accepts the brief. A firm that declines, or
          does not answer within {responseWindowDays} business days, never sees them; you then
          decide whether the next best firm gets the brief.
        </li>
        <li>
          You can withdraw, report a firm, or delete your data from your private page at any time.
        </li>
      </ul>
      <p>
        <a class="button" href="/match">
          See your three firms
        </a>
      </p>
    </>
  );
}
