/**
 * Wall-clock budget for one file's extraction (the parse has its own cap). Loops over calls, statements
 * and tree walks call `tick()`; once the deadline passes it throws `AnalysisTimeout`, which
 * extractFileFacts turns into a `skipped` reason.
 */

/** A 2 MB file with 18,000 DAGs extracts in about 3 s on a loaded 2-core machine. */
export const EXTRACT_MILLIS = 8000;
/** Nesting deeper than this is not followed: the value is reported as dynamic instead. */
export const MAX_NESTING = 200;

export class AnalysisTimeout extends Error {
  constructor(readonly millis: number) {
    super(`analysis took longer than ${millis} ms`);
    this.name = 'AnalysisTimeout';
  }
}

export class Budget {
  private readonly deadline: number;
  private count = 0;

  constructor(readonly millis: number = EXTRACT_MILLIS) {
    this.deadline = Date.now() + millis;
  }

  /** Cheap enough for inner loops: the clock is read every 32 ticks. */
  tick(): void {
    if ((++this.count & 31) === 0) this.check();
  }

  check(): void {
    if (Date.now() > this.deadline) throw new AnalysisTimeout(this.millis);
  }
}

/** A budget that never runs out (helpers used outside a file's extraction). */
export const UNLIMITED: Budget = new Budget(Number.MAX_SAFE_INTEGER / 2);
