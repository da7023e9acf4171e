// Runs the CLI in-process with captured output, so tests see exactly what a user would.
import { main } from '../../cli/main.ts';
import type { CommandIO } from '../../cli/io.ts';

export interface Run {
  code: number;
  out: string;
  err: string;
  /** stdout and stderr together, in the order written. */
  all: string;
}

/** Runs `resetpath <args...>` and returns its exit code and output. */
export async function run(...args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  let all = '';
  const io: CommandIO = {
    out: (s) => ((out += s), (all += s)),
    err: (s) => ((err += s), (all += s)),
    setExitCode: () => {},
    color: false,
  };
  const code = await main(['node', 'resetpath', ...args], io);
  return { code, out, err, all };
}
