// The part of cli-progress 3.12 (no published types) that `resetpath simulate` uses.
declare module 'cli-progress' {
  export interface Options {
    format?: string;
    stream?: NodeJS.WritableStream;
    hideCursor?: boolean;
    clearOnComplete?: boolean;
    etaBuffer?: number;
  }
  export interface Preset {
    barCompleteChar: string;
    barIncompleteChar: string;
  }
  export class SingleBar {
    constructor(options: Options, preset?: Preset);
    start(total: number, startValue: number, payload?: Record<string, unknown>): void;
    update(value: number, payload?: Record<string, unknown>): void;
    stop(): void;
  }
  export const Presets: { shades_classic: Preset; legacy: Preset; rect: Preset };
  const cliProgress: { SingleBar: typeof SingleBar; Presets: typeof Presets };
  export default cliProgress;
}
