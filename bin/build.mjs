#!/usr/bin/env node
// Bundles the server into one JavaScript file, run by `npm start` without a TypeScript loader
// (docs/decisions/0010-bundled-server.md). Packages stay in node_modules; only our sources are
// bundled. Takes about a tenth of a second, so `npm start` runs it every time.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles `entry` (a path under the project) to `outfile` (also under it, so packages resolve). */
export async function bundle(entry, outfile) {
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile: join(ROOT, outfile),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundle('src/cli.ts', 'dist/cli.mjs');
}
