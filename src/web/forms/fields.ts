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

/**
 * Reads fields the way a GET form sends them, collecting a message per bad field instead of
 * throwing: the guide pages show every problem at once beside the form they re-render.
 */
export class FieldReader {
  readonly errors: Record<string, string> = {};
  constructor(private readonly query: FormFields) {}

  has(name: string): boolean {
    return this.query[name] !== undefined;
  }

  /** A single-valued field; sent twice is an error, not a silent pick. */
  one(name: string): string | undefined {
    try {
      const v = one(this.query, name);
      return v === '' ? undefined : v;
    } catch (error) {
      if (!(error instanceof RepeatedField)) throw error;
      this.errors[name] ??= 'Give one value only';
      return undefined;
    }
  }

  /** Checkboxes arrive repeated; the API's comma-separated form is accepted too. */
  many(name: string): string[] {
    return many(this.query, name)
      .flatMap((x) => x.split(','))
      .map((x) => x.trim())
      .filter(Boolean);
  }

  /** A single checkbox whose value is "yes". */
  yes(name: string): boolean {
    const v = this.one(name);
    if (v === undefined) return false;
    if (v === 'yes' || v === 'true' || v === 'on') return true;
    this.errors[name] ??= 'Tick the box or leave it empty';
    return false;
  }

  /** Whole numbers stay numbers; anything else reaches the schema as text and is refused there. */
  count(name: string): number | string | undefined {
    const v = this.one(name);
    if (v === undefined) return undefined;
    return /^\d{1,15}$/.test(v.trim()) ? Number(v.trim()) : v;
  }
}
