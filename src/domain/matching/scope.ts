import type {
  AiExposure,
  BudgetBand,
  CompanyStage,
  FrameworkId,
  Industry,
  Region,
  StartingPoint,
  TscCategory,
} from '../vocabulary';
import type { IsoDate } from './dates';

/** One framework the buyer wants audited, as it asked for it. */
export interface RequestedFramework {
  framework: FrameworkId;
  /** e.g. 'type2' for SOC 2. When given, the firm must perform exactly this variant. */
  variant?: string;
  /** SOC 2 Trust Services Categories in scope (Security is always in scope). */
  categories?: TscCategory[];
}

/** What the buyer told us once, on the quote form: the only input about the buyer the matcher reads. */
export interface MatchScope {
  frameworks: RequestedFramework[];
  stage: CompanyStage;
  headcount: number;
  region: Region;
  industry: Industry;
  /** The date the report or certificate is needed by. */
  neededBy: IsoDate;
  /**
   * What the buyer already has: sets the readiness left before an audit can start. Absent
   * means from scratch, the honest assumption when the buyer did not say.
   */
  startingPoint?: StartingPoint;
  budget?: BudgetBand;
  aiExposure: AiExposure;
  /** ISO 639-1 code of the language the buyer wants to work in; English when absent. */
  language?: string;
  /** Firms the buyer does not want to hear from, by id or slug. */
  excludeFirmIds: string[];
  /**
   * Firms (id or slug) that designed, implemented or operate the buyer's controls: they cannot
   * be its SOC auditor. A firm that only assessed readiness is not listed here.
   */
  controlsBuiltBy: string[];
  /**
   * The consultancies that helped build the buyer's ISO management system, with the month their
   * advice ended when the buyer knows it. A name may also be a firm's id or slug: a certification
   * body the buyer names as its own consultant cannot certify that system.
   */
  managementSystemConsultants: ManagementSystemConsultant[];
}

export interface ManagementSystemConsultant {
  name: string;
  /** YYYY-MM of the last month the consultancy advised; absent while it still does (or unknown). */
  advisedUntil?: string;
}

/** The state of the world the match is made in, passed in so the same inputs replay the same match. */
export interface MatchContext {
  today: IsoDate;
  /**
   * Rotation state, e.g. a counter the service increments per match: only reorders firms whose
   * scores are near-tied, so no firm monopolises first place among equals.
   */
  rotation: number;
}

export const DEFAULT_LANGUAGE = 'en';

export const SOC_FRAMEWORKS: readonly FrameworkId[] = ['soc1', 'soc2'];
export const ISO_FRAMEWORKS: readonly FrameworkId[] = ['iso27001', 'iso42001', 'iso27701'];

export function isSocFramework(framework: FrameworkId): boolean {
  return SOC_FRAMEWORKS.includes(framework);
}

export function isIsoFramework(framework: FrameworkId): boolean {
  return ISO_FRAMEWORKS.includes(framework);
}

/** Primary language subtag in lower case, so 'en-GB' and 'EN' both mean English. */
export function languageOf(scope: Pick<MatchScope, 'language'>): string {
  return normaliseLanguage(scope.language ?? DEFAULT_LANGUAGE);
}

export function normaliseLanguage(code: string): string {
  if (isLowerCaseWord(code)) return code;
  const lower = code.trim().toLowerCase();
  // The primary subtag ends at the first '-' or '_' (no regular expression: scoring runs per firm).
  let end = lower.length;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c === 45 /* - */ || c === 95 /* _ */) {
      end = i;
      break;
    }
  }
  return lower.slice(0, end) || DEFAULT_LANGUAGE;
}

/** Non-empty and only a-z: a language code already in normal form, as stored codes are. */
function isLowerCaseWord(code: string): boolean {
  if (code.length === 0) return false;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    if (c < 97 || c > 122) return false;
  }
  return true;
}

/**
 * True when `name` is already in normal form: only lower-case ASCII letters, digits and
 * '-', '_', '.' (ids and slugs always are), so no trimming, spacing or case change applies.
 */
function isPlainName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const plain = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 46;
    if (!plain) return false;
  }
  return true;
}

/** Names typed by people (consultancies, ids, slugs) compared without case or stray spaces. */
export function normaliseName(name: string): string {
  return isPlainName(name) ? name : name.trim().replace(/\s+/g, ' ').toLowerCase();
}
