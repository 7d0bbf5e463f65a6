import { ALGORITHM_VERSION } from '../../../domain/matching';
import { ACCREDITATION_BODIES, ACCREDITATION_LIST_SOURCE } from '../../../domain/accreditation';
import { sourceDate } from '../../../domain/market';
import {
  CONSULTANCY_COOLING_OFF_YEARS,
  READINESS_DOES_NOT_DISQUALIFY,
} from '../../../domain/matching/eligibility';
import {
  FIT_COMPONENT_LABELS,
  FIT_COMPONENTS,
  FIT_WEIGHTS,
  REVIEW_PRIOR_MEAN,
  REVIEW_PRIOR_WEIGHT,
} from '../../../domain/matching/scoring';
import { NEAR_TIE_POINTS } from '../../../domain/matching/selection';
import { PageHeader } from '../layout';
import { TableHead } from '../components/table-head';

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
          It holds a verified credential that qualifies for the framework and stays valid until the
          date you need your report or certificate: a CPA firm licence together with a current peer
          review for SOC reports; for ISO certificates, an accreditation under ISO/IEC 17021-1 whose
          scope names the standard (for ISO/IEC 42001, also under ISO/IEC 42006), granted by an
          accreditation body that signed the IAF multilateral recognition arrangement (
          {ACCREDITATION_BODIES.length} bodies on the IAF's list,{' '}
          {sourceDate({
            date: ACCREDITATION_LIST_SOURCE.listAsOf.slice(0, 7),
            dateKind: 'retrieved',
          })}
          ). A certificate sold without accreditation, or accredited by a body outside that
          arrangement, never qualifies. A credential that ends before your date is named as the
          reason, to the firm and to us.
        </li>
        <li>
          It serves your region and can deliver by the date you need. The audit can start once the
          firm is free and you are ready, whichever comes later: your readiness comes from the same
          timeline model as the <a href="/estimate">estimator</a>, from where you say you start
          (from scratch unless you tell us otherwise). If no firm can make your date, we say so and
          offer the earliest date that works, so you can send the request with it instead. A date
          that is not after today is refused.
        </li>
        <li>You did not exclude it.</li>
        <li>
          It is independent of you: a firm that designed, implemented or operates your controls is
          never proposed as your SOC auditor. {READINESS_DOES_NOT_DISQUALIFY} A certification body
          that advised on your management system itself, or is linked to the consultancy that did,
          is never proposed for that ISO certificate within {CONSULTANCY_COOLING_OFF_YEARS} years of
          that advice (ISO/IEC 17021-1 impartiality): give the last month the consultancy advised
          you, and the two years run from there.
        </li>
      </ul>
      <h2>Checked again at every step</h2>
      <p>
        A match is not a pass for later. Each time a firm would move your details or a commitment
        forward — when you send it your brief, when it accepts (from its workspace, the email link
        or its API), when it quotes, and every time it opens your contact details (its lead page, a
        spreadsheet export or its API) — we check the firm again, as it stands that moment: active,
        still qualified for every framework in your scope until your date, still independent, and,
        before it takes the brief on, not paused or full. A firm that fails is refused with the
        reason. If it can no longer hold your brief at all (suspended, no longer qualified, newly
        conflicted), the brief is withdrawn, any quote with it, and you are offered the next best
        firm, exactly as after a decline.
      </p>
      <p>
        When we suspend a firm, it loses every door at once: its open briefs are withdrawn, its
        sign-ins and API keys are refused with the reason, and its calendar and CRM messages stop.
        Reinstating it later gives back its access, not the briefs it lost.
      </p>
      <h2>2. A fit score, with its parts kept</h2>
      <p>Each eligible firm gets a score out of 100, built from these parts:</p>
      <div class="table-scroll">
        <table>
          <TableHead columns={['Part', 'Weight']} />
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
          three at a time, counted across all your open requests, and never the same firm twice
          while one of them is open.
        </li>
        <li>
          Sending the same request again (the Back button, a double click, a second form for the
          same need) does not start a second round: we show you the request you already have, or let
          you replace it.
        </li>
        <li>
          A firm that accepts your brief commits to an itemised quote within {responseWindowDays}{' '}
          business days and may ask you questions here; it quotes without your name or contact. A
          firm that declines, does not answer, or does not quote in time is out, and you decide
          whether the next best firm gets the brief.
        </li>
        <li>
          Compare the quotes side by side, then book one short call with the firm you pick — a time
          it publishes, or three of yours — in your own time zone. Your contact details reach a firm
          only when you book its call or choose to share them, and every such release is recorded.
          Two of your calls never overlap; either side can move or cancel one.
        </li>
        <li>
          You can stop the firms you did not choose and keep the one whose quote you chose, withdraw
          the whole request, report a firm, or delete your data from your private page at any time;
          each firm that loses your brief is told which request, and asked to delete your details if
          it had them.
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
