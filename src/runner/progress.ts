/** What the engine reports while it runs; the CLI renders it (bar on a TTY, lines otherwise). */
export interface RunProgress {
  readonly total: number;
  readonly done: number;
  readonly errors: number;
  readonly cached: number;
  readonly elapsedMs: number;
}

export type ProgressListener = (progress: RunProgress) => void;
