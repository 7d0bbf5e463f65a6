/**
 * Framework advisor (journey 2): from a short questionnaire to an ordered list of frameworks,
 * each with its priority, a plain reason and the guide page that explains it.
 *
 * The logic is a named rule table rather than nested ifs so that a public page can show
 * exactly which rules exist and every recommendation can say which rules produced it.
 * Rules run in table order; each is a pure predicate plus a pure effect on a draft.
 */
import { sourceInfo } from '../frameworks';
import { type AiExposure, FRAMEWORK_IDS, type FrameworkId } from '../vocabulary';

export type CustomerKind = 'smb' | 'enterprise' | 'regulated' | 'public-sector' | 'defense';
export type Market = 'us' | 'eu' | 'uk' | 'other';
/** 'iso27001-2013' is a certificate to the old edition, which lapsed when the transition ended. */
export type HeldFramework =
  | 'soc2'
  | 'iso27001'
  | 'iso27001-2013'
  | 'iso42001'
  | 'iso27701'
  | 'hipaa'
  | 'pci-dss';
/** What still counts as held: a lapsed 2013-edition certificate does not. */
export type CurrentHeld = Exclude<HeldFramework, 'iso27001-2013'>;

/** How far the company has come commercially: buyers' demands arrive with revenue. */
export type CompanyStage = 'pre-revenue' | 'early-revenue' | 'scaling' | 'established';
/**
 * The product's AI, plus 'internal': AI used inside the company (deployer) but not in what it
 * sells. The EU AI Act and ISO 42001 both concern deployers too.
 */
export type AdvisorAi = AiExposure | 'internal';

export interface AdvisorAnswers {
  aiExposure: AdvisorAi;
  customers: CustomerKind[];
  markets: Market[];
  /** Protected health information under US HIPAA. */
  healthData: boolean;
  cardData: boolean;
  personalDataAtScale: boolean;
  holds: HeldFramework[];
  /** Absent: not said; treated as a company already selling. */
  stage?: CompanyStage;
  /** Frameworks customers are already asking for. */
  askedFor?: FrameworkId[];
}

/** Where a rule's facts come from: a primary source wherever one exists, with its kind and date. */
export interface RuleSource {
  name: string;
  url: string;
  kind: string;
  /** YYYY-MM, or YYYY for a publication known by its year (docs/source-policy.md). */
  date: string;
  dateKind: 'published' | 'retrieved';
}

/** A source the framework pages already cite: its kind and date come from that registry. */
function registered(name: string, url: string): RuleSource {
  const info = sourceInfo(url);
  if (!info) throw new Error(`advisor: ${url} is not in the framework sources registry`);
  return { name, url, kind: info.kind, date: info.date, dateKind: info.dateKind };
}

/** A source only the advisor cites; the date is the month we read it unless it is an edition's. */
function own(
  name: string,
  url: string,
  kind: string,
  date: string,
  dateKind: RuleSource['dateKind'],
): RuleSource {
  return { name, url, kind, date, dateKind };
}

/**
 * 'now' start first; 'next' follows once the first is under way; 'consider' depends on who the
 * buyers are; 'later' is not needed yet and worth revisiting when circumstances change.
 */
export type Priority = 'now' | 'next' | 'consider' | 'later';
export const PRIORITIES: readonly Priority[] = ['now', 'next', 'consider', 'later'];
export const PRIORITY_LABELS: Record<Priority, string> = {
  now: 'Start now',
  next: 'Next',
  consider: 'Consider',
  later: 'Later',
};

export interface Recommendation {
  framework: FrameworkId;
  /** 1-based position in the suggested sequence. */
  order: number;
  priority: Priority;
  reason: string;
  ruleIds: string[];
  /** Guide page: a comparison with a framework the buyer holds or pursues, else the framework page. */
  guide: string;
}

export interface HeldNote {
  framework: CurrentHeld;
  note: string;
  guide: string;
}

export interface Advice {
  recommendations: Recommendation[];
  alreadyHeld: HeldNote[];
  notes: string[];
}

/** The answers with sets and derived facts, so predicates stay one-liners. */
export interface Situation {
  ai: AdvisorAi;
  /** AI in the product, built or bought (not only used inside the company). */
  aiInProduct: boolean;
  stage: CompanyStage | undefined;
  askedFor: ReadonlySet<FrameworkId>;
  customers: ReadonlySet<CustomerKind>;
  markets: ReadonlySet<Market>;
  healthData: boolean;
  cardData: boolean;
  personalDataAtScale: boolean;
  holds: ReadonlySet<CurrentHeld>;
  /** Holds an ISO 27001 certificate to the 2013 edition, which lapsed on 31 October 2025. */
  lapsed2013: boolean;
  /** Sells to other organisations at all (an empty customer list means consumers only). */
  b2b: boolean;
  /** Enterprise, regulated or public-sector buyers: the ones who send long questionnaires. */
  demandingBuyers: boolean;
  us: boolean;
  eu: boolean;
  europe: boolean;
  /** Sells only outside the US: SOC 2 is then not the default first report. */
  nonUsOnly: boolean;
}

export interface DraftItem {
  framework: FrameworkId;
  priority: Priority;
  reasons: readonly string[];
  ruleIds: readonly string[];
  /** Frameworks this one should follow when both are recommended. */
  after: readonly FrameworkId[];
}

export interface Draft {
  items: readonly DraftItem[];
  alreadyHeld: readonly HeldNote[];
  /** Frameworks a rule proposed but R9 dropped because they are held. */
  dropped: readonly FrameworkId[];
  notes: readonly string[];
}

export interface AdvisorRule {
  id: string;
  title: string;
  description: string;
  /** What the rule rests on; shown beside it. */
  sources: readonly RuleSource[];
  when: (s: Situation, d: Draft) => boolean;
  apply: (s: Situation, d: Draft) => Draft;
}

// ---------------------------------------------------------------------------
// Draft helpers (each returns a new draft; nothing is mutated).

const rank = (p: Priority): number => PRIORITIES.indexOf(p);
const higher = (a: Priority, b: Priority): Priority => (rank(a) <= rank(b) ? a : b);

function has(d: Draft, fw: FrameworkId): boolean {
  return d.items.some((i) => i.framework === fw);
}

function item(d: Draft, fw: FrameworkId): DraftItem | undefined {
  return d.items.find((i) => i.framework === fw);
}

function withId(ids: readonly string[], id: string): string[] {
  return ids.includes(id) ? [...ids] : [...ids, id];
}

function update(d: Draft, fw: FrameworkId, fn: (i: DraftItem) => DraftItem): Draft {
  return { ...d, items: d.items.map((i) => (i.framework === fw ? fn(i) : i)) };
}

/** Add a framework, or strengthen it if another rule already proposed it. */
function propose(
  d: Draft,
  ruleId: string,
  fw: FrameworkId,
  priority: Priority,
  reason: string,
): Draft {
  if (!has(d, fw)) {
    const fresh: DraftItem = {
      framework: fw,
      priority,
      reasons: [reason],
      ruleIds: [ruleId],
      after: [],
    };
    return { ...d, items: [...d.items, fresh] };
  }
  return update(d, fw, (i) => ({
    ...i,
    priority: higher(i.priority, priority),
    reasons: [...i.reasons, reason],
    ruleIds: withId(i.ruleIds, ruleId),
  }));
}

function explain(d: Draft, ruleId: string, fw: FrameworkId, reason: string): Draft {
  return update(d, fw, (i) => ({
    ...i,
    reasons: [...i.reasons, reason],
    ruleIds: withId(i.ruleIds, ruleId),
  }));
}

function note(d: Draft, text: string): Draft {
  return d.notes.includes(text) ? d : { ...d, notes: [...d.notes, text] };
}

function raiseOneStep(p: Priority): Priority {
  return PRIORITIES[Math.max(0, rank(p) - 1)] ?? p;
}

// ---------------------------------------------------------------------------
// Reuse sentences for R9: what an existing program saves on a later one.

const REUSE: ReadonlyArray<{ held: CurrentHeld; target: FrameworkId; text: string }> = [
  {
    held: 'iso27001',
    target: 'iso42001',
    text: 'Holding ISO 27001 shortens this: ISO 42001 uses the same management-system clauses (4–10), so your scope, risk process, internal audit and management review carry over and the new work is the AI-specific part.',
  },
  {
    held: 'soc2',
    target: 'iso42001',
    text: 'Your SOC 2 controls already cover much of the security ground; the new work is AI governance: impact assessment, the AI lifecycle, data for AI, transparency and third parties.',
  },
  {
    held: 'soc2',
    target: 'iso27001',
    text: "Much of your SOC 2 control set maps onto ISO 27001's Annex A; what is new is the management system around it.",
  },
  {
    held: 'iso27001',
    target: 'soc2',
    text: 'Your ISO 27001 controls and evidence can be reused; the CPA firm still tests them against the Trust Services Criteria.',
  },
  {
    held: 'iso42001',
    target: 'iso27001',
    text: 'Your ISO 42001 management system uses the same clauses, so much of its structure carries over.',
  },
  {
    held: 'iso27001',
    target: 'iso27701',
    text: 'It extends the ISO 27001 system you already run.',
  },
  {
    held: 'soc2',
    target: 'hipaa',
    text: 'Many CPA firms can add the HIPAA Security Rule to your next SOC 2 examination.',
  },
  {
    held: 'hipaa',
    target: 'hitrust',
    text: 'Your HIPAA risk analysis and safeguards feed straight into a HITRUST assessment.',
  },
];

const KEEP_CURRENT: Record<CurrentHeld, string> = {
  soc2: 'Keep it current: buyers expect a fresh Type 2 report every year.',
  iso27001:
    'Keep it current: surveillance audits every year and recertification every three years.',
  iso42001:
    'Keep it current: surveillance audits every year and recertification every three years.',
  iso27701:
    'Keep it current: surveillance audits every year and recertification every three years.',
  hipaa: 'Keep your risk analysis and security evaluations up to date; HIPAA is an ongoing duty.',
  'pci-dss': 'Validate again every year, with external vulnerability scans every quarter.',
};

const AI_ACT_NOTE =
  'About the EU AI Act: it reaches providers that place AI systems on the EU market, deployers established or located in the EU, and providers and deployers elsewhere whose AI output is used in the EU (Article 2). ISO 42001 certification is evidence that you govern AI risk in a recognised way, not a legal route to conformity with the Act; what the Act asks of you depends on how it classifies your AI systems, so take legal advice on that.';

const SRC = {
  aicpaSoc2: registered(
    'AICPA, SOC 2 examinations and the Trust Services Criteria',
    'https://www.aicpa-cima.com/resources/download/2017-trust-services-criteria-with-revised-points-of-focus-2022',
  ),
  aicpaSoc2Plus: registered(
    'AICPA, SOC 2 and SOC 2+ (additional subject matter and criteria)',
    'https://www.aicpa-cima.com/topic/audit-assurance/audit-and-assurance-greater-than-soc-2',
  ),
  iso27001: registered('ISO, ISO/IEC 27001:2022', 'https://www.iso.org/standard/82875.html'),
  iso42001: registered('ISO, ISO/IEC 42001:2023', 'https://www.iso.org/standard/81230.html'),
  iso27701: registered('ISO, ISO/IEC 27701', 'https://www.iso.org/standard/27701'),
  iafTransition: registered(
    'IAF, transition of ISO/IEC 27001 certificates to the 2022 edition (IAF MD 26)',
    'https://iaf.nu/en/iaf-documents/',
  ),
  // Regulations carry their year in their number; the page is the Official Journal's.
  aiAct: own(
    'Regulation (EU) 2024/1689, the AI Act, Article 2',
    'https://eur-lex.europa.eu/eli/reg/2024/1689/oj',
    'official-journal',
    '2024',
    'published',
  ),
  hipaa: registered(
    'US HHS, the HIPAA Security Rule',
    'https://www.hhs.gov/hipaa/for-professionals/security/index.html',
  ),
  pci: own(
    'PCI Security Standards Council',
    'https://www.pcisecuritystandards.org/',
    'standards-body',
    '2026-12',
    'retrieved',
  ),
  gdpr: own(
    'Regulation (EU) 2016/679, the GDPR',
    'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
    'official-journal',
    '2016',
    'published',
  ),
  fedramp: own(
    'FedRAMP, US General Services Administration',
    'https://www.fedramp.gov/',
    'regulator',
    '2026-12',
    'retrieved',
  ),
  stateramp: own('StateRAMP', 'https://stateramp.org/', 'standards-body', '2026-12', 'retrieved'),
  cmmc: own(
    'US Department of Defense, CMMC',
    'https://dodcio.defense.gov/CMMC/',
    'regulator',
    '2026-12',
    'retrieved',
  ),
  cyberEssentials: own(
    'UK National Cyber Security Centre, Cyber Essentials',
    'https://www.ncsc.gov.uk/cyberessentials/overview',
    'regulator',
    '2026-12',
    'retrieved',
  ),
} as const satisfies Record<string, RuleSource>;

const US_PUBLIC_SECTOR_NOTE =
  'Selling to US government: federal agencies buying cloud services expect a FedRAMP authorization, many states and local governments ask for StateRAMP, and defence contractors handling controlled unclassified information need CMMC. These are government programmes with their own assessors; Auditmatch does not match them, so a SOC 2 or ISO certificate from us will not stand in for them.';
const UK_PUBLIC_SECTOR_NOTE =
  'Selling to UK government: many central government contracts ask for Cyber Essentials (or Cyber Essentials Plus), a scheme run by the National Cyber Security Centre through its own certification bodies; Auditmatch does not match it.';
const PRE_REVENUE_NOTE =
  'You are not selling yet and no customer is asking for an audit, so nothing needs certifying now: an audit proves controls that are running, and buyers will tell you which report they want. Put basic security practice in place, and come back when the first security questionnaire arrives.';

// ---------------------------------------------------------------------------
// The rule table. Order matters: proposals first, then held frameworks, then the fallback,
// then sequencing, which orders whatever the others produced.

export const ADVISOR_RULES: readonly AdvisorRule[] = [
  {
    id: 'R0',
    title: 'What your customers ask for',
    description:
      'A framework your customers are already asking for comes first: a buyer’s request is the strongest reason there is.',
    sources: [SRC.aicpaSoc2, SRC.iso27001],
    when: (s) => s.askedFor.size > 0,
    apply: (s, d) =>
      [...s.askedFor].reduce(
        (draft, fw) =>
          propose(
            draft,
            'R0',
            fw,
            'now',
            'Your customers are asking for it, so it comes first: a report or certificate a buyer has asked for unblocks deals in a way no other can.',
          ),
        d,
      ),
  },
  {
    id: 'R1',
    title: 'SOC 2 for buyers in the US',
    description:
      'Selling to businesses in the US: SOC 2 first, for general trust (Type 2; Type 1 as a bridge). Selling only outside the US, ISO 27001 is the usual first proof instead.',
    sources: [SRC.aicpaSoc2],
    // With no market named, demanding buyers still point to SOC 2, the most asked-for report.
    when: (s) => s.b2b && (s.us || (s.markets.size === 0 && s.demandingBuyers)),
    apply: (_s, d) =>
      propose(
        d,
        'R1',
        'soc2',
        'now',
        'Buyers in the US usually ask for a SOC 2 report before anything else. Aim for a Type 2, which shows your controls working over a period; if a deal cannot wait for the observation window, a Type 1 (controls at a single date) can bridge the gap.',
      ),
  },
  {
    id: 'R2',
    title: 'ISO 27001 outside the US',
    description:
      'Selling to businesses in the EU, the UK or elsewhere outside the US: ISO 27001, the internationally recognised certificate; first when the US is not a market, after SOC 2 when it is.',
    sources: [SRC.iso27001],
    when: (s) => s.b2b && s.demandingBuyers && (s.nonUsOnly || s.europe),
    apply: (s, d) =>
      propose(
        d,
        'R2',
        'iso27001',
        s.us ? 'next' : 'now',
        s.us
          ? 'Buyers in the EU and UK often ask for an ISO 27001 certificate. Start it after SOC 2: most of the controls are the same, so the second audit builds on the first.'
          : 'Outside the US, buyers expect an ISO 27001 certificate rather than a SOC 2 report (a US attestation by a CPA firm), so it is your first step.',
      ),
  },
  {
    id: 'R12',
    title: 'An ISO 27001:2013 certificate has lapsed',
    description:
      'Certificates to the 2013 edition had to move to the 2022 edition by 31 October 2025; one that did not no longer counts, so ISO 27001 is needed again.',
    sources: [SRC.iafTransition, SRC.iso27001],
    when: (s) => s.lapsed2013 && !s.holds.has('iso27001'),
    apply: (_s, d) =>
      propose(
        d,
        'R12',
        'iso27001',
        'now',
        'Your certificate is to the 2013 edition of ISO 27001; the transition to the 2022 edition ended on 31 October 2025, so it no longer counts. Your management system carries over, but you need certification to the 2022 edition (its Annex A has 93 controls in four themes).',
      ),
  },
  {
    id: 'R3',
    title: 'ISO 42001 when AI is the product',
    description:
      'AI is the product: ISO 42001 next, once SOC 2 is under way (or on top of ISO 27001 if held). In the US, AI systems and AI-specific criteria can also go into the SOC 2 examination itself (SOC 2+), as an alternative or a bridge.',
    sources: [SRC.iso42001, SRC.aicpaSoc2Plus],
    when: (s) => s.ai === 'ai-is-the-product',
    apply: (s, d) =>
      propose(
        d,
        'R3',
        'iso42001',
        'next',
        `AI is your product, so buyers will want to know how you govern it. ISO 42001 certifies an AI management system: AI risk and impact assessment, the AI lifecycle, data used for AI, and suppliers.${
          s.us
            ? ' For US buyers you can also bring your AI systems and AI-specific criteria into the SOC 2 examination itself (a SOC 2+ report with additional subject matter), as an alternative or as a bridge until you are certified.'
            : ''
        }`,
      ),
  },
  {
    id: 'R4',
    title: 'ISO 42001 when AI is a feature',
    description:
      'Uses AI but it is not the core product, or only inside the company: ISO 42001 to consider when enterprise or regulated buyers scrutinise model governance, otherwise later. ISO 42001 covers organisations that use AI as well as those that build it.',
    sources: [SRC.iso42001],
    when: (s) => s.ai === 'uses-ai' || s.ai === 'internal',
    apply: (s, d) =>
      s.demandingBuyers
        ? propose(
            d,
            'R4',
            'iso42001',
            'consider',
            `${s.ai === 'internal' ? 'You use AI inside the company rather than in what you sell.' : 'You use AI inside a wider product.'} Enterprise and regulated buyers increasingly question how models are governed; when they do, ISO 42001 answers in one certificate instead of many questionnaires.`,
          )
        : propose(
            d,
            'R4',
            'iso42001',
            'later',
            'You use AI, but it is not the product and your buyers are not yet asking about model governance; revisit ISO 42001 when they start to. It applies to organisations that use AI, not only to those that build it.',
          ),
  },
  {
    id: 'R5',
    title: 'EU market and AI raise ISO 42001',
    description:
      'AI used or sold in the EU: ISO 42001 moves up one step, because the EU AI Act reaches providers placing AI on the EU market, deployers in the EU and those whose AI output is used there (it is not a legal conformity route).',
    sources: [SRC.aiAct, SRC.iso42001],
    when: (s, d) => s.eu && s.ai !== 'none' && has(d, 'iso42001'),
    apply: (_s, d) => {
      const raised = update(d, 'iso42001', (i) => ({ ...i, priority: raiseOneStep(i.priority) }));
      return note(
        explain(
          raised,
          'R5',
          'iso42001',
          'Because you work in the EU, the EU AI Act can reach the AI you provide or use (including AI whose output is used there); a recognised AI governance framework helps you show how you manage AI risk, which moves ISO 42001 up. It does not by itself make you compliant with the Act.',
        ),
        AI_ACT_NOTE,
      );
    },
  },
  {
    id: 'R6',
    title: 'HIPAA for US health data',
    description:
      'Handles US protected health information: a HIPAA assessment; HITRUST to consider when selling to large health systems.',
    sources: [SRC.hipaa],
    when: (s) => s.healthData,
    apply: (s, d) => {
      const withHipaa = propose(
        d,
        'R6',
        'hipaa',
        'now',
        'You handle US health data (PHI), so HIPAA applies by law. There is no official HIPAA certificate; an independent assessment, often combined with a SOC 2 examination, is how you show customers you meet it.',
      );
      if (!s.demandingBuyers) return withHipaa;
      return propose(
        withHipaa,
        'R6',
        'hitrust',
        'consider',
        'Large health systems and insurers often ask for HITRUST certification; consider it if they are among your customers.',
      );
    },
  },
  {
    id: 'R7',
    title: 'PCI DSS for card data',
    description:
      'Stores, processes or transmits card data: PCI DSS; self-assessment or an assessor’s report depending on volume.',
    sources: [SRC.pci],
    when: (s) => s.cardData,
    apply: (_s, d) =>
      propose(
        d,
        'R7',
        'pci-dss',
        'now',
        'You handle payment card data, so PCI DSS applies through your card agreements. Whether you can self-assess (SAQ) or need a Report on Compliance from a qualified assessor depends on your yearly card volume and on whether you act as a service provider; keeping card data off your own systems with a payment provider shrinks the scope a great deal.',
      ),
  },
  {
    id: 'R8',
    title: 'ISO 27701 for personal data at scale in Europe',
    description:
      'Processes personal data at scale for the EU or UK: ISO 27701 to consider, after ISO 27001.',
    sources: [SRC.iso27701, SRC.gdpr],
    when: (s) => s.personalDataAtScale && s.europe,
    apply: (s, d) =>
      propose(
        d,
        'R8',
        'iso27701',
        'consider',
        s.holds.has('iso27001') || has(d, 'iso27001')
          ? 'You process personal data at scale for European customers. ISO 27701 adds privacy management on top of ISO 27001 and helps you show how you handle personal data; it supports your GDPR work but is not a GDPR certification.'
          : 'You process personal data at scale for European customers. ISO 27701 certifies privacy management and helps you show how you handle personal data; it supports your GDPR work but is not a GDPR certification. Its 2019 edition can only extend an ISO 27001 certificate; the 2025 edition can stand alone.',
      ),
  },
  {
    id: 'R13',
    title: 'Government and public-sector buyers',
    description:
      'Selling to government: FedRAMP (US federal cloud), StateRAMP (US states and local government) and CMMC (US defence contractors), or Cyber Essentials for UK government. They are named so you know of them; they are outside what Auditmatch matches.',
    sources: [SRC.fedramp, SRC.stateramp, SRC.cmmc, SRC.cyberEssentials],
    when: (s) => s.customers.has('public-sector') || s.customers.has('defense'),
    apply: (s, d) => {
      let next = d;
      if (s.us || s.customers.has('defense')) next = note(next, US_PUBLIC_SECTOR_NOTE);
      if (s.markets.has('uk')) next = note(next, UK_PUBLIC_SECTOR_NOTE);
      return next;
    },
  },
  {
    id: 'R14',
    title: 'Before revenue',
    description:
      'Not selling yet and nobody asking: nothing needs certifying now, except duties that come with the data you hold (health or card data). What the rules above found moves to later.',
    sources: [SRC.aicpaSoc2, SRC.iso27001],
    when: (s, d) => s.stage === 'pre-revenue' && s.askedFor.size === 0 && d.items.length > 0,
    apply: (_s, d) => {
      const legal: readonly FrameworkId[] = ['hipaa', 'pci-dss'];
      return note(
        {
          ...d,
          items: d.items.map((i) =>
            legal.includes(i.framework)
              ? i
              : { ...i, priority: 'later' as Priority, ruleIds: withId(i.ruleIds, 'R14') },
          ),
        },
        PRE_REVENUE_NOTE,
      );
    },
  },
  {
    id: 'R9',
    title: 'Frameworks you already hold',
    description:
      'A framework you hold is never recommended again; it is listed as held, and later steps say what they can reuse from it.',
    sources: [SRC.iso27001, SRC.aicpaSoc2],
    when: (s) => s.holds.size > 0,
    apply: (s, d) => {
      const held = [...s.holds].sort(byFrameworkOrder);
      const dropped = d.items.filter((i) => s.holds.has(i.framework as CurrentHeld));
      let next: Draft = {
        ...d,
        items: d.items.filter((i) => !s.holds.has(i.framework as CurrentHeld)),
        dropped: [...d.dropped, ...dropped.map((i) => i.framework)],
        alreadyHeld: held.map((fw) => ({
          framework: fw,
          note: KEEP_CURRENT[fw],
          guide: frameworkGuide(fw),
        })),
      };
      for (const r of REUSE) {
        if (s.holds.has(r.held) && has(next, r.target))
          next = explain(next, 'R9', r.target, r.text);
      }
      return next;
    },
  },
  {
    id: 'R11',
    title: 'When nothing is needed yet',
    description:
      'If no rule recommends anything, say why: everything needed is already held, or the answers point to no audit yet (a baseline is suggested for later when selling to businesses).',
    sources: [SRC.aicpaSoc2, SRC.iso27001],
    when: (_s, d) => d.items.length === 0,
    apply: (s, d) => {
      if (d.dropped.length > 0) {
        return note(
          d,
          'Everything your answers point to is already in place. Keep it current, and come back if you enter new markets, start selling to new kinds of buyer, or put AI at the heart of your product.',
        );
      }
      // Outside the US the internationally recognised certificate is the usual first proof.
      const baseline: CurrentHeld = s.nonUsOnly ? 'iso27001' : 'soc2';
      if (s.b2b && !s.holds.has(baseline)) {
        const name = baseline === 'soc2' ? 'a SOC 2 report' : 'an ISO 27001 certificate';
        return propose(
          d,
          'R11',
          baseline,
          'later',
          `Nothing in your answers calls for an audit yet. When a business customer first sends you a security questionnaire, ${name} is the usual first step.`,
        );
      }
      return note(
        d,
        s.b2b
          ? 'Nothing in your answers calls for a new audit yet. Come back when buyers start asking for one.'
          : 'Nothing in your answers calls for an audit: you sell to consumers and handle neither US health data nor card data. Come back if you start selling to businesses.',
      );
    },
  },
  {
    id: 'R10',
    title: 'Sequencing',
    description:
      'SOC 2 comes before ISO 42001 unless you already hold SOC 2 or ISO 27001; ISO 27701 follows ISO 27001 and HITRUST follows HIPAA; no AI exposure means no ISO 42001.',
    sources: [SRC.iso42001, SRC.aicpaSoc2],
    when: () => true,
    apply: (s, d) => {
      let next = d;
      // Guard for the promise "no AI, no ISO 42001", whatever other rules did.
      if (s.ai === 'none')
        next = { ...next, items: next.items.filter((i) => i.framework !== 'iso42001') };

      const soc2 = item(next, 'soc2');
      const ai = item(next, 'iso42001');
      if (soc2 && ai && !s.holds.has('soc2') && !s.holds.has('iso27001')) {
        // A hard rule: ISO 42001 may not outrank the SOC 2 it is meant to follow.
        next = update(next, 'iso42001', (i) => ({
          ...i,
          priority: rank(i.priority) < rank(soc2.priority) ? soc2.priority : i.priority,
          after: [...i.after, 'soc2'],
        }));
        next = explain(
          next,
          'R10',
          'iso42001',
          'Do it after SOC 2: the security controls come first and carry over into the AI management system.',
        );
      }
      // Softer preferences: follow the other framework only when it is not less urgent.
      next = follow(next, 'iso42001', 'iso27001');
      next = follow(next, 'iso27701', 'iso27001');
      next = follow(next, 'hitrust', 'hipaa');
      return next;
    },
  },
];

function follow(d: Draft, fw: FrameworkId, pred: FrameworkId): Draft {
  const a = item(d, fw);
  const b = item(d, pred);
  if (!a || !b || rank(b.priority) > rank(a.priority)) return d;
  return update(d, fw, (i) => ({ ...i, after: [...i.after, pred] }));
}

// ---------------------------------------------------------------------------
// Ordering and guides.

/**
 * Tie-break within a priority: the broad trust report first, then legal or contractual duties,
 * then the management-system certificates that build on them.
 */
const SEQUENCE: readonly FrameworkId[] = [
  'soc2',
  'hipaa',
  'pci-dss',
  'iso27001',
  'iso42001',
  'iso27701',
  'hitrust',
  'soc1',
];

function byFrameworkOrder(a: FrameworkId, b: FrameworkId): number {
  return FRAMEWORK_IDS.indexOf(a) - FRAMEWORK_IDS.indexOf(b);
}

/** Topological order over `after`, always taking the most urgent ready item (deterministic). */
function orderItems(items: readonly DraftItem[]): DraftItem[] {
  const key = (i: DraftItem) => rank(i.priority) * 100 + SEQUENCE.indexOf(i.framework);
  const present = new Set(items.map((i) => i.framework));
  const placed = new Set<FrameworkId>();
  const out: DraftItem[] = [];
  const pending = [...items].sort((a, b) => key(a) - key(b));
  while (pending.length > 0) {
    const idx = pending.findIndex((i) => i.after.every((p) => !present.has(p) || placed.has(p)));
    // A cycle cannot arise from the table above, but never loop forever if one did.
    const at = idx === -1 ? 0 : idx;
    const [next] = pending.splice(at, 1);
    if (!next) break;
    placed.add(next.framework);
    out.push(next);
  }
  return out;
}

function frameworkGuide(fw: FrameworkId): string {
  return `/frameworks/${fw}`;
}

/** Comparison pages use one canonical order (the vocabulary's) so each pair has one URL. */
export function compareGuide(a: FrameworkId, b: FrameworkId): string {
  const [x, y] = [a, b].sort(byFrameworkOrder);
  return `/compare/${x}-vs-${y}`;
}

/** Which framework a recommendation is best explained against, in order of preference. */
const GUIDE_PARTNERS: Partial<Record<FrameworkId, readonly FrameworkId[]>> = {
  iso42001: ['soc2', 'iso27001'],
  iso27001: ['soc2', 'iso42001'],
  soc2: ['iso27001', 'iso42001'],
  iso27701: ['iso27001'],
  hitrust: ['hipaa', 'soc2'],
  hipaa: ['soc2'],
};

/** A framework the buyer already holds is the most useful comparison, then one it will pursue. */
function guideFor(
  fw: FrameworkId,
  held: ReadonlySet<FrameworkId>,
  recommended: ReadonlySet<FrameworkId>,
): string {
  const partners = GUIDE_PARTNERS[fw] ?? [];
  const partner = partners.find((p) => held.has(p)) ?? partners.find((p) => recommended.has(p));
  return partner ? compareGuide(fw, partner) : frameworkGuide(fw);
}

// ---------------------------------------------------------------------------
// Entry point.

export function situationOf(a: AdvisorAnswers): Situation {
  const customers = new Set(a.customers);
  const markets = new Set(a.markets);
  const asked = new Set(a.askedFor ?? []);
  return {
    ai: a.aiExposure,
    aiInProduct: a.aiExposure === 'uses-ai' || a.aiExposure === 'ai-is-the-product',
    stage: a.stage,
    askedFor: asked,
    customers,
    markets,
    healthData: a.healthData,
    cardData: a.cardData,
    personalDataAtScale: a.personalDataAtScale,
    holds: new Set(a.holds.filter((h): h is CurrentHeld => h !== 'iso27001-2013')),
    lapsed2013: a.holds.includes('iso27001-2013'),
    b2b: customers.size > 0,
    demandingBuyers:
      customers.has('enterprise') ||
      customers.has('regulated') ||
      customers.has('public-sector') ||
      customers.has('defense'),
    us: markets.has('us'),
    eu: markets.has('eu'),
    europe: markets.has('eu') || markets.has('uk'),
    nonUsOnly: markets.size > 0 && !markets.has('us'),
  };
}

const EMPTY_DRAFT: Draft = { items: [], alreadyHeld: [], dropped: [], notes: [] };

export function advise(answers: AdvisorAnswers): Advice {
  const s = situationOf(answers);
  const draft = ADVISOR_RULES.reduce<Draft>(
    (d, r) => (r.when(s, d) ? r.apply(s, d) : d),
    EMPTY_DRAFT,
  );

  // Belt and braces for the promise "a held framework is never recommended again".
  const items = orderItems(draft.items.filter((i) => !s.holds.has(i.framework as CurrentHeld)));
  const recommended = new Set<FrameworkId>(items.map((i) => i.framework));
  const recommendations = items.map((i, n) => ({
    framework: i.framework,
    order: n + 1,
    priority: i.priority,
    reason: i.reasons.join(' '),
    ruleIds: [...i.ruleIds],
    guide: guideFor(i.framework, s.holds, recommended),
  }));
  return {
    recommendations,
    alreadyHeld: [...draft.alreadyHeld],
    notes: [...draft.notes],
  };
}

/**
 * The rules that changed the outcome, replayed over the pure rule table: a rule whose
 * condition held but whose effect left the draft as it was (sequencing with nothing to
 * order, say) did not shape the advice and is not listed.
 */
export function firedRules(answers: AdvisorAnswers): AdvisorRule[] {
  const s = situationOf(answers);
  let draft: Draft = { items: [], alreadyHeld: [], dropped: [], notes: [] };
  const fired: AdvisorRule[] = [];
  for (const rule of ADVISOR_RULES) {
    if (!rule.when(s, draft)) continue;
    const next = rule.apply(s, draft);
    if (JSON.stringify(next) !== JSON.stringify(draft)) fired.push(rule);
    draft = next;
  }
  return fired;
}
