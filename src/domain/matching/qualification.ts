import { accreditationBodyLabel, isMlaSignatory } from '../accreditation';
import { type Credential, credentialState, type Firm } from '../firm';
import {
  CREDENTIAL_KIND_LABELS,
  type CredentialKind,
  FRAMEWORK_SHORT_NAMES,
  type FrameworkId,
} from '../vocabulary';
import { type IsoDate, longDate } from './dates';

/**
 * Who may perform which audit. A firm is qualified for a framework only while it holds, for
 * each requirement below, a credential we verified and that is in date today. A
 * 'non-accredited-certificate' is deliberately accepted by no requirement: selling certificates
 * without accreditation is exactly what a buyer must be protected from.
 */

/** The conformity-assessment standard every certification body must be accredited under. */
export const CERTIFICATION_BODY_STANDARD = 'ISO/IEC 17021-1';

/** The standard number an ISO accreditation's scope must name for each certification. */
export const ISO_STANDARD_NUMBERS: Partial<Record<FrameworkId, string>> = {
  iso27001: '27001',
  iso42001: '42001',
  iso27701: '27701',
};

interface CredentialRequirement {
  /** What is missing, read after 'no': e.g. 'current AICPA peer review'. */
  needs: string;
  accepts: (c: Credential) => boolean;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Matches a standard by its number so 'ISO/IEC 42001:2023' and 'ISO 42001' both count, but
 * a different part ('27006-1' vs '27006') or a longer number never does. Plain string search,
 * no regular expression: the matcher checks every firm on every request.
 */
export function namesStandard(text: string, number: string): boolean {
  let at = text.indexOf(number);
  while (at !== -1) {
    const end = at + number.length;
    const digitBefore = at > 0 && isDigit(text.charCodeAt(at - 1));
    const digitAfter = end < text.length && isDigit(text.charCodeAt(end));
    const partAfter =
      text.charCodeAt(end) === 45 /* - */ &&
      end + 1 < text.length &&
      isDigit(text.charCodeAt(end + 1));
    if (!digitBefore && !digitAfter && !partAfter) return true;
    at = text.indexOf(number, at + 1);
  }
  return false;
}

function anyNames(texts: readonly string[], number: string): boolean {
  for (const text of texts) if (namesStandard(text, number)) return true;
  return false;
}

/**
 * Each ISO certification has its own scheme standard on top of ISO/IEC 17021-1 (ISO/IEC 42006
 * for AI management systems, 27006-1 for ISMS, 27006-2 for PIMS): an accreditation that does
 * not name it does not cover that certification.
 */
export const ISO_SCHEME_STANDARDS: Record<string, string> = {
  '27001': '27006-1',
  '42001': '42006',
  '27701': '27006-2',
};

function isAccreditationFor(c: Credential, number: string): boolean {
  const scheme = ISO_SCHEME_STANDARDS[number];
  return (
    c.kind === 'iso-accreditation' &&
    // An accreditation from a body outside the IAF MLA is not an accredited certification.
    isMlaSignatory(c.issuer) &&
    anyNames(c.scopeStandards, number) &&
    anyNames(c.schemeStandards, '17021-1') &&
    (scheme === undefined || anyNames(c.schemeStandards, scheme))
  );
}

const ofKind =
  (kind: CredentialKind) =>
  (c: Credential): boolean =>
    c.kind === kind;

const CPA_LICENCE: CredentialRequirement = {
  needs: 'CPA firm licence',
  accepts: ofKind('cpa-licence'),
};
const PEER_REVIEW: CredentialRequirement = {
  needs: 'current AICPA peer review',
  accepts: ofKind('aicpa-peer-review'),
};

function isoAccreditation(framework: FrameworkId, number: string): CredentialRequirement {
  return {
    needs: `accreditation under ${CERTIFICATION_BODY_STANDARD} and ISO/IEC ${ISO_SCHEME_STANDARDS[number] ?? ''} whose scope names ${FRAMEWORK_SHORT_NAMES[framework]}`,
    accepts: (c) => isAccreditationFor(c, number),
  };
}

/** Every entry must be met; within one entry any accepted credential will do. */
export const CREDENTIAL_REQUIREMENTS: Record<FrameworkId, CredentialRequirement[]> = {
  // SOC reports are CPA attestations: the licence alone is not enough without a current peer review.
  soc1: [CPA_LICENCE, PEER_REVIEW],
  soc2: [CPA_LICENCE, PEER_REVIEW],
  iso27001: [isoAccreditation('iso27001', '27001')],
  iso42001: [isoAccreditation('iso42001', '42001')],
  iso27701: [isoAccreditation('iso27701', '27701')],
  'pci-dss': [{ needs: 'PCI Qualified Security Assessor status', accepts: ofKind('pci-qsa') }],
  hitrust: [{ needs: 'HITRUST authorised assessor status', accepts: ofKind('hitrust-assessor') }],
  // No law defines who may assess HIPAA; we still only send buyers to an audited profession.
  hipaa: [
    {
      needs: 'CPA firm licence or ISO certification accreditation',
      accepts: (c) => c.kind === 'cpa-licence' || c.kind === 'iso-accreditation',
    },
  ],
};

/** Verified by us and in date today: the only state in which a credential counts. */
export function isCurrent(c: Credential, today: IsoDate): boolean {
  return (
    c.verification === 'verified' &&
    c.validFrom <= today &&
    (c.validTo === null || c.validTo >= today)
  );
}

/** Still valid on `through`: the date the report or certificate is expected (never before today). */
function lastsThrough(c: Credential, through: IsoDate): boolean {
  return c.validTo === null || c.validTo >= through;
}

export interface Qualification {
  qualified: boolean;
  /** The credentials that carry the qualification (one per requirement), for "why this firm". */
  credentials: Credential[];
  /** Why not, in plain words; null when qualified. */
  problem: string | null;
}

/**
 * Whether the firm may perform this audit, judged today and through `through` — the date the
 * buyer expects its report or certificate. A credential that ends before then is a reason the
 * firm and the operator read ("ends on 30 June 2027, before the report date"), never a silent pass.
 */
export function qualification(
  firm: Pick<Firm, 'credentials'>,
  framework: FrameworkId,
  today: IsoDate,
  through: IsoDate = today,
): Qualification {
  const used: Credential[] = [];
  const problems: string[] = [];
  for (const requirement of CREDENTIAL_REQUIREMENTS[framework]) {
    const candidates = firm.credentials.filter(requirement.accepts);
    const current = candidates.filter((c) => isCurrent(c, today));
    const lasting = current.find((c) => lastsThrough(c, through));
    if (lasting) used.push(lasting);
    else if (current.length > 0) problems.push(endsTooSoon(requirement, current, through, today));
    else problems.push(whyNot(requirement, candidates, firm.credentials, framework, today));
  }
  return problems.length === 0
    ? { qualified: true, credentials: used, problem: null }
    : { qualified: false, credentials: [], problem: problems.join('; ') };
}

/** The same answer as `qualification(...).qualified`, without building an explanation. */
export function isQualified(
  firm: Pick<Firm, 'credentials'>,
  framework: FrameworkId,
  today: IsoDate,
  through: IsoDate = today,
): boolean {
  for (const requirement of CREDENTIAL_REQUIREMENTS[framework]) {
    if (!holdsCurrent(firm.credentials, requirement, today, through)) return false;
  }
  return true;
}

/**
 * The last day the firm stays qualified for the framework on today's credentials: null when no
 * requirement's credential ends, undefined when it is not qualified today at all. Lets a scan of
 * many firms compare one date with each buyer's instead of walking the credentials again.
 */
export function qualifiedUntil(
  firm: Pick<Firm, 'credentials'>,
  framework: FrameworkId,
  today: IsoDate,
): IsoDate | null | undefined {
  let until: IsoDate | null = null;
  for (const requirement of CREDENTIAL_REQUIREMENTS[framework]) {
    let best: IsoDate | null | undefined;
    for (const c of firm.credentials) {
      if (!requirement.accepts(c) || !isCurrent(c, today)) continue;
      if (c.validTo === null) best = null;
      else if (best !== null && (best === undefined || c.validTo > best)) best = c.validTo;
    }
    if (best === undefined) return undefined;
    if (best !== null && (until === null || best < until)) until = best;
  }
  return until;
}

function holdsCurrent(
  credentials: readonly Credential[],
  requirement: CredentialRequirement,
  today: IsoDate,
  through: IsoDate,
): boolean {
  for (const c of credentials) {
    if (requirement.accepts(c) && isCurrent(c, today) && lastsThrough(c, through)) return true;
  }
  return false;
}

function endsTooSoon(
  requirement: CredentialRequirement,
  current: Credential[],
  through: IsoDate,
  today: IsoDate,
): string {
  const latest = current.reduce((a, b) => ((a.validTo ?? '') >= (b.validTo ?? '') ? a : b));
  const kind = CREDENTIAL_KIND_LABELS[latest.kind] ?? requirement.needs;
  return `${kind} ends on ${longDate(latest.validTo as string, today)}, before the report or certificate date (${longDate(through, today)})`;
}

function whyNot(
  requirement: CredentialRequirement,
  candidates: Credential[],
  all: Credential[],
  framework: FrameworkId,
  today: IsoDate,
): string {
  const candidate = [...candidates].sort(nearerToCounting(today))[0];
  if (candidate)
    return `${CREDENTIAL_KIND_LABELS[candidate.kind]} ${credentialProblem(candidate, today)}`;
  const number = ISO_STANDARD_NUMBERS[framework];
  const name = FRAMEWORK_SHORT_NAMES[framework];
  if (number) {
    if (
      all.some(
        (c) =>
          c.kind === 'non-accredited-certificate' &&
          c.scopeStandards.some((s) => namesStandard(s, number)),
      )
    ) {
      return `offers only a non-accredited ${name} certificate, which never qualifies`;
    }
    const accreditations = all.filter((c) => c.kind === 'iso-accreditation');
    const naming = accreditations.filter((c) =>
      c.scopeStandards.some((s) => namesStandard(s, number)),
    );
    const outsideMla = naming.find((c) => !isMlaSignatory(c.issuer));
    if (outsideMla && naming.every((c) => !isMlaSignatory(c.issuer))) {
      return `its ${name} accreditation is from ${accreditationBodyLabel(outsideMla.issuer)}, so its certificates are not accredited ones`;
    }
    if (naming.length > 0) {
      // Under 17021-1 but without the certification's own scheme standard: name what is missing.
      const scheme = ISO_SCHEME_STANDARDS[number];
      const under17021 = naming.some((c) =>
        c.schemeStandards.some((s) => namesStandard(s, '17021-1')),
      );
      return under17021 && scheme !== undefined
        ? `its ${name} accreditation is not under ISO/IEC ${scheme}`
        : `its ${name} accreditation is not under ${CERTIFICATION_BODY_STANDARD}`;
    }
    const scopes = accreditations.flatMap((c) => c.scopeStandards);
    if (scopes.length > 0) return `its accreditation covers ${scopes.join(', ')}, not ${name}`;
  }
  return `no ${requirement.needs}`;
}

/**
 * Which of several unusable credentials to talk about: the one nearest to counting (awaiting
 * verification, then not yet valid, then the most recently expired), not a long-revoked one.
 */
function nearerToCounting(today: IsoDate) {
  const rank = (c: Credential): number => {
    if (c.verification === 'pending') return 0;
    if (c.verification === 'verified') return c.validFrom > today ? 1 : 2;
    return c.verification === 'rejected' ? 3 : 4;
  };
  return (a: Credential, b: Credential): number =>
    rank(a) - rank(b) || compareText(b.validTo ?? '', a.validTo ?? '');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The most telling state of a credential that is not current, e.g. 'expired on 31 January 2027'. */
function credentialProblem(c: Credential, today: IsoDate): string {
  switch (credentialState(c, today)) {
    case 'pending':
      return 'awaiting our verification';
    case 'rejected':
      return 'rejected at verification';
    case 'revoked':
      return 'revoked';
    case 'expired':
      return `expired on ${longDate(c.validTo ?? today, today)}`;
    default:
      return `valid only from ${longDate(c.validFrom, today)}`;
  }
}
