/**
 * Progress for long work, on stderr only (stdout stays machine-readable). On a terminal it rewrites one
 * line; elsewhere (CI logs) it prints a line only when a step starts, never the per-item ticks.
 */
export class Progress {
  private lastWidth = 0;
  private lastTick = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly enabled: boolean,
  ) {}

  /** A step begins, e.g. "Indexing workspace". */
  step(message: string): void {
    if (!this.enabled) return;
    if (this.stream.isTTY) this.rewrite(`${message}…`);
    else this.stream.write(`${message}…\n`);
  }

  /** Per-item progress, throttled; shown on a terminal only. */
  tick(message: string): void {
    if (!this.enabled || !this.stream.isTTY) return;
    const now = Date.now();
    if (now - this.lastTick < 80) return;
    this.lastTick = now;
    this.rewrite(message);
  }

  /** Clear the progress line before real output. */
  done(): void {
    if (this.enabled && this.stream.isTTY && this.lastWidth > 0) this.rewrite('');
    this.lastWidth = 0;
  }

  private rewrite(text: string): void {
    const pad = Math.max(0, this.lastWidth - text.length);
    this.stream.write(`\r${text}${' '.repeat(pad)}\r${text}`);
    this.lastWidth = text.length;
    if (text === '') this.stream.write('\r');
  }
}
