/** One valid firm row, the smallest the import accepts: tests change one field at a time. */
export const SAMPLE_FIRM = {
  slug: 'ambergill-cpas',
  name: 'Ambergill CPAs',
  firmType: 'cpa-firm',
  headquarters: 'US',
  regions: ['north-america'],
  languages: ['en'],
  services: [{ framework: 'soc2', variants: ['type2'], leadTimeWeeks: 3, monthlyCapacity: 4 }],
};
