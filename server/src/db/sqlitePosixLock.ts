/**
 * SQLite's own write lock, taken from outside for the node-sqlite3-wasm driver.
 *
 * Native SQLite (Airflow's) locks a database with POSIX byte-range locks (fcntl) on fixed bytes of the
 * file: PENDING at 0x40000000, RESERVED right after it, and 510 SHARED bytes after that. The wasm
 * driver locks with a `<db>.lock` directory instead, which native SQLite never looks at, and Node has
 * no fcntl. So a small Python process (Airflow's hosts have Python; its standard library has fcntl)
 * write-locks all three ranges, which is what native SQLite's EXCLUSIVE lock is, and holds them until
 * told to let go or until this process dies (its stdin closes). While it holds them, Airflow's
 * processes get "database is locked" and retry as they do for any writer; while one of them reads or
 * writes, the lock cannot be had and the sync waits for it, then times out.
 *
 * One Python process per connection does it all: it checks that fcntl exists (no separate probe),
 * and stays between transactions, idle and holding no lock, so a second sync on the same connection
 * does not start Python again (it leaves by itself after IDLE_MS, or when the connection closes).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';

const SCRIPT = `
import sys
try:
    import fcntl, os, time
except ImportError:
    print("unavailable", flush=True)
    sys.exit(4)
fd = os.open(sys.argv[1], os.O_RDWR)
PENDING = 0x40000000
def take():
    for start, length in ((PENDING, 1), (PENDING + 1, 1), (PENDING + 2, 510)):
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, length, start, 0)
for line in sys.stdin:
    words = line.split()
    if words and words[0] == "lock":
        deadline = time.time() + float(words[1])
        while True:
            try:
                take()
                print("locked", flush=True)
                break
            except OSError:
                fcntl.lockf(fd, fcntl.LOCK_UN, 0, 0, 0)
                if time.time() >= deadline:
                    print("busy", flush=True)
                    break
                time.sleep(0.02)
    elif words and words[0] == "unlock":
        fcntl.lockf(fd, fcntl.LOCK_UN, 0, 0, 0)
        print("unlocked", flush=True)
`;

const PYTHON = () => process.env.AIRFLOW_ACCESS_PYTHON || 'python3';
/**
 * `-I -S`: isolated mode without the site module. The script needs only the standard library, and
 * Python then starts in about half the time (a sync waits for the lock before it reads anything).
 */
const PYTHON_FLAGS = ['-I', '-S'];
/** An idle helper (no lock held) leaves after this long without a transaction. */
const IDLE_MS = 30_000;

/** Whether the last helper started found a Python with fcntl; undefined until one was started. */
let available: boolean | undefined;

/** Whether a Python with fcntl was found; null when no lock was tried yet in this process. */
export function posixLockKnown(): boolean | null {
  return available ?? null;
}

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * The lock helper of one database file: a Python process answering `lock <seconds>` with
 * `locked` / `busy` and `unlock` with `unlocked`, one line each.
 */
export class SqliteLockHelper {
  private child: ChildProcessWithoutNullStreams | null = null;
  private out = '';
  private waiters: ((line: string) => void)[] = [];
  private idle: NodeJS.Timeout | null = null;

  constructor(private readonly file: string) {}

  /**
   * Take native SQLite's exclusive lock on the file, waiting up to `timeoutMs` for Airflow's readers
   * and writers to finish. 'busy': they did not; 'unavailable': no Python with fcntl here.
   */
  async lock(timeoutMs: number): Promise<HeldLock | 'busy' | 'unavailable'> {
    if (available === false) return 'unavailable';
    this.cancelIdle();
    const child = this.child ?? this.start();
    if (!child) return 'unavailable';
    const answer = await this.ask(`lock ${Math.max(0, timeoutMs) / 1000}`);
    if (answer === 'locked') {
      available = true;
      return { release: () => this.unlock() };
    }
    if (answer === 'busy') {
      available = true;
      this.goIdle();
      return 'busy';
    }
    // No fcntl or no Python (or the helper died): no native lock this time.
    if (answer === 'unavailable') available = false;
    this.stop();
    return 'unavailable';
  }

  private async unlock(): Promise<void> {
    if (!this.child) return;
    const answer = await this.ask('unlock');
    if (answer !== 'unlocked') this.stop();
    else this.goIdle();
  }

  /**
   * Start the helper now (a caller about to write): Python starts while the driver loads and the
   * state is read, instead of when the write transaction begins.
   */
  prepare(): void {
    if (available !== false && !this.child) this.start();
  }

  /** Let the helper go (its locks go with it). */
  close(): void {
    this.stop();
  }

  private start(): ChildProcessWithoutNullStreams | null {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(PYTHON(), [...PYTHON_FLAGS, '-c', SCRIPT, this.file], { stdio: ['pipe', 'pipe', 'ignore'] }) as unknown as ChildProcessWithoutNullStreams;
    } catch {
      return null;
    }
    this.child = child;
    this.out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.out += d;
      for (let nl = this.out.indexOf('\n'); nl >= 0; nl = this.out.indexOf('\n')) {
        const line = this.out.slice(0, nl).trim();
        this.out = this.out.slice(nl + 1);
        this.waiters.shift()?.(line);
      }
    });
    const gone = () => {
      if (this.child === child) this.child = null;
      for (const w of this.waiters.splice(0)) w('gone');
    };
    child.once('error', () => {
      // No Python here (ENOENT): as good as one without fcntl.
      if (available === undefined) available = false;
      gone();
    });
    child.once('close', gone);
    child.stdin.on('error', () => undefined);
    this.setRef(child, false);
    this.goIdle();
    return child;
  }

  /** Send one command and wait for its answer line ('gone' when the helper exits first). */
  private ask(command: string): Promise<string> {
    const child = this.child;
    if (!child) return Promise.resolve('gone');
    this.setRef(child, true);
    return new Promise<string>((resolve) => {
      this.waiters.push(resolve);
      child.stdin.write(`${command}\n`);
    }).finally(() => this.setRef(child, false));
  }

  /**
   * An idle helper must not keep the Node process alive (the CLI exits when its work is done; the
   * helper then sees its stdin close and leaves). While a command waits for its answer, it does.
   */
  private setRef(child: ChildProcessWithoutNullStreams, on: boolean): void {
    const s = [child, child.stdin, child.stdout] as unknown as { ref?: () => void; unref?: () => void }[];
    for (const x of s) (on ? x.ref : x.unref)?.call(x);
  }

  private goIdle(): void {
    this.cancelIdle();
    this.idle = setTimeout(() => this.stop(), IDLE_MS);
    this.idle.unref();
  }

  private cancelIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
  }

  private stop(): void {
    this.cancelIdle();
    const child = this.child;
    this.child = null;
    if (!child) return;
    child.stdin.end();
    for (const w of this.waiters.splice(0)) w('gone');
  }
}
