// The resetpath command line: parses arguments (commander) and dispatches to one module per command.
// Exit codes: 0 clean, 1 findings or takeover paths at or above the --fail-on threshold, 2 bad input.
import { Command, CommanderError } from 'commander';
import { register as analyze } from './commands/analyze.ts';
import { register as audit } from './commands/audit.ts';
import { register as controls } from './commands/controls.ts';
import { register as lint } from './commands/lint.ts';
import { register as replay } from './commands/replay.ts';
import { register as show } from './commands/show.ts';
import { EXIT, type CommandIO } from './io.ts';

type Register = (program: Command, io: CommandIO) => void;

/** Every command module; each owns one verb (or a group such as `audit`). Add new ones here. */
const COMMANDS: Register[] = [analyze, replay, lint, show, controls, audit];

/** Runs the CLI with argv (as process.argv) and resolves to the exit code. */
export async function main(argv: string[], io: CommandIO = defaultIO()): Promise<number> {
  const program = new Command('resetpath')
    .description('Which control allowed a help-desk reset to become an account takeover?')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  let code: number = EXIT.ok;
  const ioWithCode: CommandIO = { ...io, setExitCode: (c) => (code = Math.max(code, c)) };
  for (const register of COMMANDS) register(program, ioWithCode);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.badInput;
    }
    io.err(`resetpath: ${(e as Error).message}\n`);
    return EXIT.badInput;
  }
  return code;
}

function defaultIO(): CommandIO {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    setExitCode: () => {},
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}
