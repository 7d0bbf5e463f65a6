import { feeField, feeToField, PROFILE_FIELD } from '../../forms/field-names';
import type { z } from 'zod';
import {
  FRAMEWORK_IDS,
  type FrameworkId,
  SIZE_BANDS,
  type SizeBand,
} from '../../../domain/vocabulary';
import { FRAMEWORK_VARIANTS } from '../../../domain/frameworks';
import { FirmRecord, FRAMEWORKS_BY_FIRM_TYPE } from '../../../services/firm-import/record';
import type { FirmProfile } from '../../../services/firm/profile';
import { editedWebsite, toProfileRecord } from '../../../services/firm/profile';
import type { QuotePhase } from '../../../services/firm/schemas';
import {
  ApiKeyLabel,
  ApplicationSchema,
  CredentialSubmission,
  InviteSchema,
  LeadAnswerSchema,
  QuoteSchema,
  webhookEndpointSchema,
} from '../../../services/firm/schemas';
import { type FormFields, listOf, many, one, RepeatedField } from '../../forms/fields';
import { type Parsed, parseForm, topLevel } from '../../forms/parse';

/**
 * The workspace forms are flat HTML; the schemas are nested. These functions gather fields
 * into each schema's shape, validate with that schema, and map its issues back to the form
 * control that holds the value (ids are `f-<name>`, which the error summary links to).
 */

const text = (fields: FormFields, name: string) => one(fields, name);
const optionalText = (fields: FormFields, name: string) => {
  const v = one(fields, name);
  return v === undefined || v.trim() === '' ? undefined : v;
};

// ---- Application ----

export function parseApplicationForm(fields: FormFields) {
  return parseForm(
    ApplicationSchema,
    () => {
      const kind = one(fields, 'kind');
      const common = {
        kind,
        name: text(fields, 'name'),
        email: text(fields, 'email'),
        note: text(fields, 'note') ?? '',
      };
      return kind === 'new'
        ? {
            ...common,
            firmName: text(fields, 'firmName'),
            firmType: text(fields, 'firmType'),
            website: text(fields, 'website'),
            headquarters: text(fields, 'headquarters')?.trim().toUpperCase(),
          }
        : { ...common, firm: text(fields, 'firm') };
    },
    topLevel,
  );
}

export function parseInviteForm(fields: FormFields) {
  return parseForm(
    InviteSchema,
    () => ({
      email: text(fields, 'email'),
      ...(optionalText(fields, 'name') ? { name: text(fields, 'name') } : {}),
    }),
    topLevel,
  );
}

export function parseLeadAnswer(fields: FormFields) {
  return parseForm(
    LeadAnswerSchema,
    () => {
      const action = one(fields, 'action');
      return action === 'decline' ? { action, reason: one(fields, 'reason') } : { action };
    },
    topLevel,
  );
}

export function parseApiKeyForm(fields: FormFields) {
  return parseForm(ApiKeyLabel, () => ({ label: text(fields, 'label') }), topLevel);
}

export function parseWebhookForm(fields: FormFields, allowLoopbackHttp: boolean) {
  return parseForm(
    webhookEndpointSchema(allowLoopbackHttp),
    () => ({ url: text(fields, 'url'), events: many(fields, 'events') }),
    topLevel,
  );
}

// ---- Profile ----

/** "12" → 12; anything else stays text so the schema names the problem ("must be a whole number"). */
function numberOrText(value: string | undefined): unknown {
  if (value === undefined || value.trim() === '') return undefined;
  return /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : value;
}

/** The stored profile as form fields, for the first showing of the editor. */
export function profileToFields(profile: FirmProfile): FormFields {
  const { firm, leadEmail } = profile;
  const fields: FormFields = {
    description: firm.description,
    website: editedWebsite(profile) ?? '',
    headquarters: firm.headquarters,
    regions: firm.regions,
    languages: firm.languages.join(', '),
    industries: firm.industries,
    stages: firm.stages,
    aiSpecialism: firm.aiSpecialism ? 'yes' : undefined,
    bookingUrl: firm.bookingUrl ?? '',
    leadEmail: leadEmail ?? '',
    offer: firm.services.map((s) => s.framework),
  };
  for (const s of firm.services) {
    fields[PROFILE_FIELD.variants(s.framework)] = s.variants;
    for (const p of s.priceRanges) {
      fields[PROFILE_FIELD.min(s.framework, p.sizeBand)] = String(p.minUsd);
      fields[PROFILE_FIELD.max(s.framework, p.sizeBand)] = String(p.maxUsd);
    }
    fields[PROFILE_FIELD.lead(s.framework)] = String(s.leadTimeWeeks);
    fields[PROFILE_FIELD.capacity(s.framework)] = String(s.monthlyCapacity);
    if (s.paused) fields[PROFILE_FIELD.paused(s.framework)] = 'yes';
    fields[PROFILE_FIELD.until(s.framework)] = s.pausedUntil ?? '';
  }
  return fields;
}

/**
 * Builds the whole firm record — what the firm may not edit taken from the stored profile — and
 * validates it with `FirmRecord`, so the editor obeys every rule an import does (variants per
 * framework, what a kind of firm may offer, min ≤ max, pauses).
 */
export function parseProfileForm(
  fields: FormFields,
  profile: FirmProfile,
): Parsed<z.output<typeof FirmRecord>> {
  const stored = toProfileRecord(profile);
  const offered = FRAMEWORKS_BY_FIRM_TYPE[profile.firm.firmType];
  const services: { framework: FrameworkId; bands: SizeBand[] }[] = [];
  return parseForm(
    FirmRecord,
    () => {
      const chosen = many(fields, 'offer');
      const record: Record<string, unknown> = {
        ...stored,
        description: text(fields, 'description') ?? '',
        website: optionalText(fields, 'website') ?? null,
        headquarters: text(fields, 'headquarters')?.trim().toUpperCase(),
        regions: many(fields, 'regions'),
        languages: listOf(text(fields, 'languages')).map((l) => l.toLowerCase()),
        industries: many(fields, 'industries'),
        stages: many(fields, 'stages'),
        aiSpecialism: one(fields, 'aiSpecialism') === 'yes',
        bookingUrl: optionalText(fields, 'bookingUrl') ?? null,
        leadEmail: optionalText(fields, 'leadEmail')?.trim().toLowerCase() ?? null,
        services: chosen.map((framework) => {
          const fw = framework as FrameworkId;
          if (!offered.includes(fw)) {
            services.push({ framework: fw, bands: [] });
            return { framework };
          }
          const bands = SIZE_BANDS.filter(
            (b) =>
              optionalText(fields, PROFILE_FIELD.min(fw, b)) !== undefined ||
              optionalText(fields, PROFILE_FIELD.max(fw, b)) !== undefined,
          );
          services.push({ framework: fw, bands });
          const paused = one(fields, PROFILE_FIELD.paused(fw)) === 'yes';
          return {
            framework: fw,
            variants:
              FRAMEWORK_VARIANTS[fw].length > 0 ? many(fields, PROFILE_FIELD.variants(fw)) : [],
            priceRanges: bands.map((band) => ({
              sizeBand: band,
              minUsd: numberOrText(text(fields, PROFILE_FIELD.min(fw, band))),
              maxUsd: numberOrText(text(fields, PROFILE_FIELD.max(fw, band))),
            })),
            leadTimeWeeks: numberOrText(text(fields, PROFILE_FIELD.lead(fw))),
            monthlyCapacity: numberOrText(text(fields, PROFILE_FIELD.capacity(fw))),
            paused,
            pausedUntil: optionalText(fields, PROFILE_FIELD.until(fw)) ?? null,
          };
        }),
      };
      return record;
    },
    (path) => {
      const [head, index, leaf, subIndex, subLeaf] = path;
      if (head !== 'services') return String(head ?? 'form');
      const service = typeof index === 'number' ? services[index] : undefined;
      const fw = service?.framework;
      if (!fw || !FRAMEWORK_IDS.includes(fw) || leaf === undefined || leaf === 'framework')
        return 'offer';
      if (leaf === 'variants') return PROFILE_FIELD.variants(fw);
      if (leaf === 'leadTimeWeeks') return PROFILE_FIELD.lead(fw);
      if (leaf === 'monthlyCapacity' || leaf === 'capacityUsed') return PROFILE_FIELD.capacity(fw);
      if (leaf === 'paused') return PROFILE_FIELD.paused(fw);
      if (leaf === 'pausedUntil') return PROFILE_FIELD.until(fw);
      if (leaf === 'priceRanges' && typeof subIndex === 'number') {
        const band = service?.bands[subIndex] ?? SIZE_BANDS[0];
        return subLeaf === 'minUsd' ? PROFILE_FIELD.min(fw, band) : PROFILE_FIELD.max(fw, band);
      }
      return PROFILE_FIELD.lead(fw);
    },
  );
}

// ---- Credentials ----

/** The credential form arrives as multipart (it may carry a PDF): fields are strings, the file a Buffer. */
export function parseCredentialForm(fields: FormFields) {
  return parseForm(
    CredentialSubmission,
    () => {
      const file = fields.evidence;
      if (Array.isArray(file)) throw new RepeatedField('evidence');
      const evidenceFile =
        Buffer.isBuffer(file) && file.length > 0
          ? file
          : typeof file === 'string' && file !== ''
            ? file
            : null;
      return {
        credential: {
          kind: text(fields, 'kind'),
          // An accreditation names its body from the list; any other credential its issuer as typed.
          issuer:
            text(fields, 'kind') === 'iso-accreditation' &&
            optionalText(fields, 'accreditationBody')
              ? text(fields, 'accreditationBody')
              : text(fields, 'issuer'),
          identifier: text(fields, 'identifier'),
          scopeStandards: listOf(text(fields, 'scopeStandards')),
          schemeStandards: listOf(text(fields, 'schemeStandards')),
          validFrom: text(fields, 'validFrom'),
          validTo: optionalText(fields, 'validTo') ?? null,
          evidenceUrl: optionalText(fields, 'evidenceUrl')?.trim() ?? null,
        },
        evidenceFile,
      };
    },
    (path) =>
      path[0] === 'evidenceFile'
        ? 'evidence'
        : path[0] === 'credential'
          ? String(path[1] ?? 'kind')
          : String(path[0] ?? 'form'),
  );
}

// ---- Quotes ----

export { feeField, feeToField };

/** Each fee box filled in becomes a line item; blank boxes are phases the firm does not quote. */
export function parseQuoteForm(
  fields: FormFields,
  sheet: { framework: FrameworkId; phases: readonly QuotePhase[] }[],
) {
  const items: { framework: FrameworkId; phase: QuotePhase }[] = [];
  return parseForm(
    QuoteSchema,
    () => {
      for (const { framework, phases } of sheet) {
        for (const phase of phases) {
          if (optionalText(fields, feeField(framework, phase)) !== undefined)
            items.push({ framework, phase });
        }
      }
      return {
        lineItems: items.map(({ framework, phase }) => {
          const fee = numberOrText(
            text(fields, feeField(framework, phase))?.replace(/[$,\s]/g, ''),
          );
          const upTo = optionalText(fields, feeToField(framework, phase));
          return upTo === undefined
            ? { framework, phase, feeUsd: fee }
            : { framework, phase, minUsd: fee, maxUsd: numberOrText(upTo.replace(/[$,\s]/g, '')) };
        }),
        startDate: text(fields, 'startDate'),
        reportDate: text(fields, 'reportDate'),
        assumptions: (text(fields, 'assumptions') ?? '').replace(/\r\n?/g, '\n'),
        callCouldChange: (text(fields, 'callCouldChange') ?? '').replace(/\r\n?/g, '\n'),
        validUntil: text(fields, 'validUntil'),
      };
    },
    (path) => {
      const [head, index] = path;
      if (head !== 'lineItems') return String(head ?? 'form');
      const item = typeof index === 'number' ? items[index] : undefined;
      if (!item) return 'fees';
      return path[2] === 'maxUsd'
        ? feeToField(item.framework, item.phase)
        : feeField(item.framework, item.phase);
    },
  );
}
