import type { z } from 'zod';

/**
 * One thing wrong with an import file. `row` is the 1-based firm in a JSON file or the
 * spreadsheet row in a CSV file (header = row 1); 0 means the file as a whole.
 * `field` is a path such as `services[0].priceRanges[1].maxUsd` ('' for the whole row).
 */
export interface ImportProblem {
  row: number;
  field: string;
  message: string;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') {
      out += `[${key}]`;
      continue;
    }
    const name = String(key);
    if (PLAIN_KEY.test(name)) out += out === '' ? name : `.${name}`;
    else out += `[${JSON.stringify(name)}]`;
  }
  return out;
}

/** The first segment of a field path: the column a CSV problem belongs to. */
export function rootField(field: string): string {
  return field.split(/[.[]/, 1)[0] ?? '';
}

/**
 * Zod issues as (path, message) pairs. An unknown-fields issue is split into one entry per
 * field, so each misspelt key is named where it sits.
 */
export function issueEntries(
  issues: readonly z.core.$ZodIssue[],
): Array<{ path: PropertyKey[]; message: string }> {
  const entries: Array<{ path: PropertyKey[]; message: string }> = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        entries.push({
          path: [...issue.path, key],
          message: 'Unknown field; check its spelling against docs/import-format.md.',
        });
      }
      continue;
    }
    // Two checks on one value can fail with the same words (a URL that is neither a URL
    // nor https); say it once.
    const path = [...issue.path];
    if (
      !entries.some((e) => e.message === issue.message && fieldPath(e.path) === fieldPath(path))
    ) {
      entries.push({ path, message: issue.message });
    }
  }
  return entries;
}

export function byRow(problems: ImportProblem[]): ImportProblem[] {
  // Array.prototype.sort is stable, so problems of one row keep the order they were found in.
  return [...problems].sort((a, b) => a.row - b.row);
}
