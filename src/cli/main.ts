#!/usr/bin/env node
/** Executable entry of the `rnnscope` command (package.json "bin"). */
import { runCli } from './program.js';

// A closed pipe (`rnnscope info net.json --json | head -1`) is the reader's choice, not a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

// exitCode rather than process.exit(), so buffered output to pipes is flushed first.
process.exitCode = await runCli(process.argv.slice(2));
