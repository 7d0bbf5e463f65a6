import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths';
import { areaFolders } from '../../src/web/routes';

const WEB = join(PROJECT_ROOT, 'src', 'web');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : /\.tsx?$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('route areas (ADR 0018)', () => {
  it('finds every folder under src/web/routes as an area with an index', async () => {
    const folders = areaFolders();
    expect(folders).toEqual(expect.arrayContaining(['admin', 'api', 'firm', 'public', 'r']));
    for (const folder of folders) {
      const area = (await import(`../../src/web/routes/${folder}/index.ts`)).default;
      expect(typeof area?.routes, `routes/${folder}/index.ts`).toBe('function');
    }
  });

  it('keeps views free of route modules', () => {
    for (const file of sourceFiles(join(WEB, 'views'))) {
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(
        imports.filter((path) => /(^|\/)routes(\/|$)/.test(path ?? '')),
        file,
      ).toEqual([]);
    }
  });
});
