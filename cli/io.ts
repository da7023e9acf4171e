// What a command needs from its environment, injectable so tests run commands in-process.
/** The version `--version` prints and reports carry (package.json's). */
export const VERSION = '0.1.0';

export const EXIT = { ok: 0, findings: 1, badInput: 2 } as const;

export interface CommandIO {
  out(s: string): void;
  err(s: string): void;
  /** Raises the process exit code (the highest code set wins). */
  setExitCode(code: number): void;
  color: boolean;
  /** Both stdout and stderr are terminals: long commands may draw a progress bar (else plain progress lines). */
  tty?: boolean;
}
