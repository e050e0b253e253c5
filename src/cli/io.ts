/** What the CLI receives from its host instead of touching `process`: output, environment, clock, terminal facts. */

/** A write function, or anything with `write` (a Node stream). */
export type Writer = ((text: string) => unknown) | { readonly write: (text: string) => unknown };

export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdoutIsTTY?: boolean;
  readonly stderrIsTTY?: boolean;
  /** stderr's width in columns, for the progress line. */
  readonly stderrColumns?: number;
  /** The clock, when `--now` is not given; defaults to `new Date()`. */
  readonly now?: () => Date;
  /** `process.platform` and the home folder, for the cache folder; default to the running system's. */
  readonly platform?: string;
  readonly homedir?: string;
  /** Aborted when the user interrupts (Ctrl-C). */
  readonly signal?: AbortSignal;
}

export function toWrite(writer: Writer): (text: string) => void {
  return typeof writer === 'function' ? (text) => void writer(text) : (text) => void writer.write(text);
}
