import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FRAMEWORK_IDS } from '../../../src/domain/vocabulary';
import { parseFirmFile } from '../../../src/services/firm-import/parse';
import { FRAMEWORK_VARIANTS } from '../../../src/domain/frameworks';
import { firmImportJsonSchema, SCHEMA_FILE } from '../../../src/services/firm-import/write-schema';

const repoFile = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

describe('docs/firm-import.schema.json', () => {
  it('is what write-schema.ts generates from the Zod schema (run it after changing record.ts)', () => {
    // Compared as data, so reformatting the committed file does not fail the test.
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(firmImportJsonSchema());
  });
});

describe('docs/import-format.md', () => {
  const doc = readFileSync(repoFile('docs/import-format.md'), 'utf8');

  it('has JSON and CSV examples that import to the same firm', () => {
    const json = /```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const csv = /```csv\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const fromJson = parseFirmFile('example.json', json);
    expect(fromJson.ok).toBe(true);
    expect(parseFirmFile('example.csv', csv)).toEqual(fromJson);
  });

  it('lists every variant the schema accepts', () => {
    for (const variants of Object.values(FRAMEWORK_VARIANTS)) {
      for (const variant of variants) expect(doc).toContain(`\`${variant}\``);
    }
  });
});

describe('FRAMEWORK_VARIANTS', () => {
  it('matches the variant ids of the framework data (src/data/frameworks.json)', () => {
    const data = JSON.parse(readFileSync(repoFile('src/data/frameworks.json'), 'utf8')) as {
      frameworks: Array<{ id: string; variants?: Array<{ id: string }> | null }>;
    };
    const fromReference = Object.fromEntries(
      data.frameworks
        .filter((f) => (FRAMEWORK_IDS as readonly string[]).includes(f.id))
        .map((f) => [f.id, (f.variants ?? []).map((v) => v.id)]),
    );
    expect(fromReference).toEqual(FRAMEWORK_VARIANTS);
  });
});
