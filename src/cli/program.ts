/**
 * The rnnscope command line. `runCli` parses, runs one command and returns the exit code
 * instead of exiting, so tests drive the real program in-process.
 *
 * Exit codes: 0 success (and --help/--version); 1 an error in the data or the run (bad model
 * file, diverged simulation, …); 2 a usage error (unknown option or command, bad option value).
 */
import { Command, CommanderError } from 'commander';
import { isRnnscopeError } from '../errors.js';
import { fixedpointsCommand } from './commands/fixedpoints.js';
import { infoCommand } from './commands/info.js';
import { initRandomCommand } from './commands/init-random.js';
import { meanfieldCommand } from './commands/meanfield.js';
import { serveCommand } from './commands/serve.js';
import { simulateCommand } from './commands/simulate.js';
import { spectrumCommand } from './commands/spectrum.js';
import { evaluateCommand } from './commands/evaluate.js';
import { trainCommand } from './commands/train.js';
import { evolutionCommand } from './commands/evolution.js';
import { robustnessCommand } from './commands/robustness.js';
import { compareGeometryCommand } from './commands/compare-geometry.js';
import { reportCommand } from './commands/report.js';
import { demoCommand } from './commands/demo.js';
import { attractorGraphCommand } from './commands/attractor-graph.js';
import { echoIndexCommand } from './commands/echo-index.js';
import { createContext, USAGE_EXIT, type CliIo } from './context.js';
import { packageVersion } from './version.js';

export type { CliIo } from './context.js';

function buildProgram(io: CliIo): Command {
  const ctx = createContext(io);
  const program = new Command('rnnscope')
    .description('Train recurrent neural networks and reverse-engineer them as dynamical systems.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--debug', 'print stack traces for errors')
    .helpOption('-h, --help', 'show help')
    // Settings below are inherited by the commands added after them.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`rnnscope: ${s}`),
    })
    .showHelpAfterError('(run with --help for usage)');
  program.addHelpText('after', '\nModel files: docs/model-format.md. Every command: docs/cli.md.');
  for (const make of [
    infoCommand,
    simulateCommand,
    initRandomCommand,
    spectrumCommand,
    meanfieldCommand,
    fixedpointsCommand,
    trainCommand,
    evaluateCommand,
    serveCommand,
    reportCommand,
    demoCommand,
    evolutionCommand,
    robustnessCommand,
    compareGeometryCommand,
    attractorGraphCommand,
    echoIndexCommand,
  ]) {
    const cmd = make(ctx);
    cmd.copyInheritedSettings(program);
    program.addCommand(cmd);
  }
  return program;
}

function reportError(e: unknown, io: CliIo, debug: boolean): number {
  if (e instanceof CommanderError) {
    // Commander has already printed the message (help, version, or a usage error).
    return e.exitCode === 0 ? 0 : USAGE_EXIT;
  }
  if (isRnnscopeError(e)) {
    io.stderr.write(`rnnscope: error: ${e.message}\n`);
    if (debug && e.stack) io.stderr.write(`${e.stack}\n`);
    return 1;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr.write(`rnnscope: error: internal error (please report): ${err.message}\n`);
  if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
  else io.stderr.write('rnnscope: run again with --debug for the stack trace\n');
  return 1;
}

/**
 * Runs the CLI on `argv` (the user arguments, without `node` and the script path) and returns
 * the exit code. Output goes to `io` (default: the process streams).
 * @example
 * const code = await runCli(['info', 'net.json', '--json']);
 */
export async function runCli(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    // Fall back to argv for --debug: the error may come before commander parsed the options.
    const debug = Boolean(program.opts().debug) || argv.includes('--debug');
    return reportError(e, io, debug);
  }
}
