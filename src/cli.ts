import { runCommand } from './commands';

// The process entry of the `auditmatch` command and of `npm start` (bundled as dist/cli.mjs).
runCommand(process.argv.slice(2), {
  env: process.env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
}).then((code) => {
  if (code >= 0) process.exit(code);
});
