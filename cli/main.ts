// The resetpath command line: parses arguments (commander) and dispatches to one module per command.
// Exit codes: 0 clean, 1 findings or takeover paths at or above the --fail-on threshold, 2 bad input.
//
// Command modules are imported lazily: only the module of the command being run is loaded (with the
// engine, storage or YAML it needs); every other command is registered as a light stub carrying the
// name, usage term and description that the top-level help lists. So `resetpath --help` loads
// nothing but commander, and `resetpath controls` never loads the analysis engine or SQLite.
import { Command, CommanderError, Help } from 'commander';
import { EXIT, VERSION, type CommandIO } from './io.ts';
import { terminalText } from './text.ts';

type Register = (program: Command, io: CommandIO) => void;

/** A command as the top-level help lists it, and how to load its module. */
export interface CommandEntry {
  name: string;
  /** What `resetpath --help` shows before the description, e.g. `analyze [options] [workflows...]`. */
  term: string;
  description: string;
  load: () => Promise<{ register: Register }>;
}

/**
 * Every command module, in help order; each owns one verb (or a group such as `audit`). Add new
 * ones here. The term and description must match what the module registers (a test checks).
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'analyze', term: 'analyze [options] [workflows...]', description: 'count every takeover path, by class, and name the missing controls behind it', load: () => import('./commands/analyze.ts') },
  { name: 'replay', term: 'replay [options] <workflow>', description: 'replay one scenario against a workflow and print the trace', load: () => import('./commands/replay.ts') },
  { name: 'lint', term: 'lint [options] <files...>', description: 'check workflow files for missing or weak controls (rules in docs/lint-rules.md)', load: () => import('./commands/lint.ts') },
  { name: 'show', term: 'show [options] <workflow>', description: 'show a workflow as its compiled machine: states, transitions, controls per step', load: () => import('./commands/show.ts') },
  { name: 'report', term: 'report [options] [workflows...]', description: 'write an accountability report: gaps with owners, framework references and evidence (md, html, pdf, csv, json), an ATT&CK Navigator layer or OSCAL', load: () => import('./commands/report.ts') },
  { name: 'exercise', term: 'exercise', description: 'prepare tabletop exercises: the decision points, injects and expected decisions of a scenario (exercise plan)', load: () => import('./commands/exercise.ts') },
  { name: 'simulate', term: 'simulate [options] <workflow>', description: 'simulate a service desk handling legitimate and hostile resets through a workflow: takeovers, friction and load, with confidence intervals', load: () => import('./commands/simulate.ts') },
  { name: 'controls', term: 'controls [options] [id]', description: 'list the control catalogue, or show one control in full', load: () => import('./commands/controls.ts') },
  { name: 'audit', term: 'audit', description: "check and read a workspace's tamper-evident audit log", load: () => import('./commands/audit.ts') },
];

/** Runs the CLI with argv (as process.argv) and resolves to the exit code. */
export async function main(argv: string[], io: CommandIO = defaultIO()): Promise<number> {
  const named = commandNamed(argv.slice(2));
  try {
    return await run(argv, io, named);
  } catch (e) {
    // A stub was dispatched to although the argument scan chose another command: load it and rerun.
    if (e instanceof StubReached) return run(argv, io, e.command);
    throw e;
  }
}

async function run(argv: string[], rawIo: CommandIO, load: string | undefined): Promise<number> {
  // Everything printed passes the display-text rule, the parser's own messages (which echo
  // arguments) included.
  const io: CommandIO = { ...rawIo, out: (s) => rawIo.out(terminalText(s, rawIo.color)), err: (s) => rawIo.err(terminalText(s, rawIo.color)) };
  const stubs = new WeakMap<Command, string>();
  const program = new Command('resetpath')
    .description('Which control allowed a help-desk reset to become an account takeover?')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .configureHelp({
      subcommandTerm(cmd) {
        return stubs.get(cmd) ?? Help.prototype.subcommandTerm.call(this, cmd);
      },
    });
  let code: number = EXIT.ok;
  const ioWithCode: CommandIO = { ...io, setExitCode: (c) => (code = Math.max(code, c)) };
  for (const entry of COMMANDS) {
    if (entry.name === load) (await entry.load()).register(program, ioWithCode);
    else stubs.set(stub(program, entry), entry.term);
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof StubReached) throw e;
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.badInput;
    }
    io.err(`resetpath: ${(e as Error).message}\n`);
    return EXIT.badInput;
  }
  return code;
}

/** Thrown by a stub's action: the command's module must be loaded and the arguments parsed again. */
class StubReached extends Error {
  constructor(readonly command: string) {
    super(`command ${command} was not loaded`);
  }
}

/** A placeholder that lists the command in help and accepts anything, so commander dispatches to it. */
function stub(program: Command, entry: CommandEntry): Command {
  return program
    .command(entry.name)
    .description(entry.description)
    .helpOption(false)
    .helpCommand(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new StubReached(entry.name);
    });
}

/**
 * The command the arguments run: the first operand, or for `help <command>` the one after it.
 * The program has no options that take a value, so the first argument not starting with `-` is it.
 * Should that change (a global option with a value), a stub reached instead still loads its module.
 */
export function commandNamed(args: readonly string[]): string | undefined {
  const operands = args.filter((a) => a === '-' || !a.startsWith('-'));
  const first = operands[0] === 'help' ? operands[1] : operands[0];
  return COMMANDS.some((c) => c.name === first) ? first : undefined;
}

/** Stdout's reader has gone (`resetpath ... | head`): later output is dropped, the exit code stays. */
let stdoutClosed = false;
let watchingStdout = false;

function defaultIO(): CommandIO {
  if (!watchingStdout) {
    watchingStdout = true;
    // Without a listener an EPIPE is thrown from the stream as a stack trace with exit 1 (which
    // means "findings"); a closed pipe is no error of the command's.
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      stdoutClosed = true;
    });
  }
  return {
    out: (s) => {
      if (!stdoutClosed) process.stdout.write(s);
    },
    err: (s) => process.stderr.write(s),
    setExitCode: () => {},
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    tty: Boolean(process.stdout.isTTY && process.stderr.isTTY),
  };
}
