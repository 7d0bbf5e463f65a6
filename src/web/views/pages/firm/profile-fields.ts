import type { FieldSpec } from '../../components/form-fields';

/** Fields of a firm's record that both the application and the profile editor ask for. */
export const FIRM_CONTACT_FIELDS = {
  website: { name: 'website', label: 'Website', type: 'url', hint: 'A full https:// address.' },
  headquarters: {
    name: 'headquarters',
    label: 'Country of the head office',
    hint: 'Two-letter code, e.g. US, GB or DE.',
  },
} satisfies Record<string, FieldSpec>;
