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
 */
import { spawn, spawnSync } from 'child_process';

const SCRIPT = `
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
deadline = time.time() + float(sys.argv[2])
PENDING = 0x40000000
def take():
    for start, length in ((PENDING, 1), (PENDING + 1, 1), (PENDING + 2, 510)):
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, length, start, 0)
while True:
    try:
        take()
        break
    except OSError:
        fcntl.lockf(fd, fcntl.LOCK_UN, 0, 0, 0)
        if time.time() >= deadline:
            print("busy", flush=True)
            sys.exit(3)
        time.sleep(0.02)
print("locked", flush=True)
sys.stdin.read()
`;

const PYTHON = process.env.AIRFLOW_ACCESS_PYTHON || 'python3';
/**
 * `-I -S`: isolated mode without the site module. The script needs only the standard library, and
 * Python then starts in about half the time (a sync waits for the lock before it reads anything).
 */
const PYTHON_FLAGS = ['-I', '-S'];

let available: boolean | undefined;

/** Whether a Python with fcntl can be started here (checked once). */
export function posixLockAvailable(): boolean {
  if (available === undefined) {
    const r = spawnSync(PYTHON, [...PYTHON_FLAGS, '-c', 'import fcntl'], { stdio: 'ignore', timeout: 5000 });
    available = r.status === 0;
  }
  return available;
}

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Take native SQLite's exclusive lock on `file`, waiting up to `timeoutMs` for Airflow's readers and
 * writers to finish. 'busy': they did not; 'unavailable': no Python with fcntl here.
 */
export async function takeSqliteLock(file: string, timeoutMs: number): Promise<HeldLock | 'busy' | 'unavailable'> {
  if (!posixLockAvailable()) return 'unavailable';
  const child = spawn(PYTHON, [...PYTHON_FLAGS, '-c', SCRIPT, file, String(Math.max(0, timeoutMs) / 1000)], { stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const answer = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('error', () => resolve('unavailable'));
    child.once('close', () => resolve(out.trim() || 'unavailable'));
  });
  if (answer !== 'locked') {
    child.kill();
    return answer === 'busy' ? 'busy' : 'unavailable';
  }
  return {
    release: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
