/**
 * When the server process dies: restart it after a growing delay, and give up when it keeps
 * dying. Pure (no vscode import) so it is unit tested.
 */
export interface RestartDecision {
  restart: boolean;
  /** Delay before the restart, in milliseconds. */
  delayMs: number;
  /** 1 for the first crash in the window. */
  attempt: number;
}

export interface RestartPolicyOptions {
  /** Crashes tolerated within `windowMs` before giving up. */
  maxRestarts: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  maxRestarts: 5,
  windowMs: 3 * 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
};

export class RestartPolicy {
  private crashes: number[] = [];

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  /** Records a crash at `now` and decides what to do. */
  onCrash(now: number): RestartDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.options.windowMs);
    this.crashes.push(now);
    const attempt = this.crashes.length;
    if (attempt > this.options.maxRestarts) return { restart: false, delayMs: 0, attempt };
    const delayMs = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1));
    return { restart: true, delayMs, attempt };
  }

  /** A manual restart starts from a clean slate. */
  reset(): void {
    this.crashes = [];
  }
}
