#!/usr/bin/env node
// The installed `auditmatch` command: runs src/cli.ts through tsx (ADR 0002). `npm start` runs the
// same src/cli.ts bundled into dist/cli.mjs instead (ADR 0010). test/cli/cli.test.ts runs this
// command in a child process once and the commands of src/commands.ts in-process otherwise;
// test/cli/start.test.ts runs `npm start`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
