import type { Firm } from '../firm';
import {
  checkEligibility,
  type EligibilityCode,
  type EligibilityFailure,
  prepareScope,
} from '../matching/eligibility';
import type { IsoDate } from '../matching/dates';
import type { MatchScope } from '../matching/scope';

/**
 * A firm's standing at a door: may it take this step for this buyer now? Every step that moves a
 * buyer's details or a commitment asks, from the firm as stored at that moment — not from the
 * match made days earlier — so a suspension, a revoked or expiring credential, a pause or a new
 * conflict counts at once, whichever door the firm comes through (page, email link, API, CSV).
 */

export const DOORS = [
  /** The buyer sends its brief (first choice or a replacement): the whole match is re-run for the firm. */
  'send-brief',
  /** The firm commits to the brief: it must be able to take on new work. */
  'accept',
  /** The firm quotes for a brief it accepted. */
  'quote',
  /** The firm reads the buyer's contact details (page, CSV, API). */
  'read-contact',
] as const;
export type Door = (typeof DOORS)[number];

/** Taking on work: everything but the match-time rules about where and when. */
const TAKING_ON: readonly EligibilityCode[] = [
  'firm-not-active',
  'excluded-by-buyer',
  'framework-not-offered',
  'variant-not-offered',
  'service-paused',
  'capacity-full',
  'no-qualifying-credential',
  'soc-independence-conflict',
  'iso-impartiality-conflict',
];

/**
 * Work already taken on: a pause or a full month is about new work and does not stop a firm from
 * finishing what it accepted; being suspended, unqualified or conflicted does.
 */
const CARRYING_ON = TAKING_ON.filter((c) => c !== 'service-paused' && c !== 'capacity-full');

const RULES_AT: Record<Door, readonly EligibilityCode[] | 'all'> = {
  'send-brief': 'all',
  accept: TAKING_ON,
  quote: CARRYING_ON,
  'read-contact': CARRYING_ON,
};

/**
 * Failures after which the firm can no longer hold the brief at all: the brief is withdrawn and
 * the buyer is offered a replacement. A pause, a full month or a dropped service are the firm's
 * to undo, so they only refuse the step.
 */
const LOSES_THE_BRIEF: readonly EligibilityCode[] = [
  'firm-not-active',
  'excluded-by-buyer',
  'no-qualifying-credential',
  'soc-independence-conflict',
  'iso-impartiality-conflict',
];

export interface Standing {
  firmId: string;
  firmName: string;
  ok: boolean;
  failures: EligibilityFailure[];
  /** True when a failure means the firm can no longer hold this brief (see LOSES_THE_BRIEF). */
  lost: boolean;
}

export interface StandingContext {
  today: IsoDate;
  /**
   * The date the report or certificate is expected: credentials must last until then. Defaults
   * to the buyer's needed-by date; a quote's report date when a quote names one.
   */
  qualifiedThrough?: IsoDate;
}

/**
 * The firm's standing at `door` for this scope. `scope` must have the buyer's names resolved
 * against this firm (toMatchScope with the firm), so a name the buyer typed finds it.
 */
export function standingAt(
  door: Door,
  firm: Firm,
  scope: MatchScope,
  ctx: StandingContext,
): Standing {
  const prepared = prepareScope(
    scope,
    { today: ctx.today, rotation: 0 },
    ctx.qualifiedThrough ? { qualifiedThrough: ctx.qualifiedThrough } : {},
  );
  const rules = RULES_AT[door];
  const failures = checkEligibility(firm, prepared).failures.filter(
    (f) => rules === 'all' || rules.includes(f.code),
  );
  return {
    firmId: firm.id,
    firmName: firm.name,
    ok: failures.length === 0,
    failures,
    lost: failures.some((f) => LOSES_THE_BRIEF.includes(f.code)),
  };
}

/** The failures as one sentence for whoever acted: "Not active on Auditmatch (suspended); …". */
export function standingProblem(standing: Standing): string {
  return standing.failures.map((f) => f.message).join('; ');
}

/** A firm that is not in the catalog any more stands nowhere. */
export function unknownFirmStanding(firmId: string): Standing {
  return {
    firmId,
    firmName: 'This firm',
    ok: false,
    lost: true,
    failures: [
      { code: 'firm-not-active', framework: null, message: 'No longer listed on Auditmatch' },
    ],
  };
}
