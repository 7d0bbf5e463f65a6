import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { FirmImportFile } from './record';

/**
 * Regenerates docs/firm-import.schema.json from the Zod schema, so the published JSON
 * Schema can never drift from what the importer accepts (a test compares the two).
 *
 *   npx tsx src/services/firm-import/write-schema.ts
 */

export const SCHEMA_FILE = fileURLToPath(
  new URL('../../../docs/firm-import.schema.json', import.meta.url),
);

export function firmImportJsonSchema(): Record<string, unknown> {
  // 'input' describes what a file may contain: fields with defaults are optional there.
  const generated = z.toJSONSchema(FirmImportFile, { io: 'input', target: 'draft-2020-12' });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'Auditmatch firm import file',
    description:
      'A list of firm records, or an object with a "firms" list. Generated from ' +
      'src/services/firm-import/record.ts by write-schema.ts; do not edit by hand. ' +
      'Rules across fields (variants per framework, minUsd <= maxUsd, capacityUsed <= ' +
      'monthlyCapacity, dates in order, unique slugs) are checked by the importer and ' +
      'described in docs/import-format.md.',
    ...rest,
  };
}

async function main() {
  await writeFile(SCHEMA_FILE, `${JSON.stringify(firmImportJsonSchema(), null, 2)}\n`);
  console.log(`wrote ${SCHEMA_FILE}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
