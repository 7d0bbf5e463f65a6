/** Reading urlencoded form fields, where any name may arrive once, several times or not at all. */
export type FormFields = Record<string, unknown>;

export class RepeatedField extends Error {
  constructor(readonly field: string) {
    super(`${field} was sent more than once`);
  }
}

/** A single-valued field: a repeated one is an error rather than a silent pick. */
export function one(fields: FormFields, name: string): string | undefined {
  const v = fields[name];
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  throw new RepeatedField(name);
}

/** A multi-valued field (checkboxes): always a list of strings. */
export function many(fields: FormFields, name: string): string[] {
  const v = fields[name];
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** "A, B; C" → ["A", "B", "C"]: lists typed into one text box. */
export function listOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}
