/**
 * The Airflow release a metadata database was migrated by, from its `alembic_version` row.
 *
 * `airflow db migrate` leaves the head revision of the running release in `alembic_version`, and a
 * release without migrations keeps the previous head, so a head stands for the release that added
 * it up to (not including) the release of the next head. The table lists the last revision of
 * every release that added migrations, taken from Airflow's migration files via the tables generated
 * from them (each file's `revision` and `airflow_version`):
 *   - 2.0.0-2.6.0: apache/airflow `docs/apache-airflow/migrations-ref.rst` @ d1d6f22206993eb4742ff0f2d705cf66ad78763e;
 *   - 2.6.2: the migration file of revision c804e5c76e3e ("Add onupdate cascade to task_map",
 *     down_revision 98ae134e6fff, airflow_version 2.6.2);
 *   - 2.7.0-3.2.0: `_REVISION_HEADS_MAP` in apache/airflow `airflow-core/src/airflow/utils/db.py` (the map
 *     `airflow db migrate --to-version` uses; its newest stored copy also maps "2.6.2" to Airflow 3's
 *     squashed baseline 4bc4d934e2bc) and `airflow-core/docs/migrations-ref.rst` @ 000d3856515434a7607206751b35dbe80d8b5b30.
 * No stored source gave the head of 3.3.0 or later, so those databases are not recognised by revision
 * (the schema still tells Airflow 2 from 3); 658517c60c7f reads as "3.2.0 or later".
 */

/** [first release with this head, head revision], oldest first. */
const HEADS: readonly (readonly [string, string])[] = [
  ['2.0.0', 'e959f08ac86c'],
  ['2.0.1', '82b7c48c147f'],
  ['2.0.2', '2e42bb497a22'],
  ['2.1.0', 'a13f7613ad25'],
  ['2.1.3', '97cdd93827b8'],
  ['2.1.4', 'ccde3e26fe78'],
  ['2.2.0', '7b2661a43ba3'],
  ['2.2.3', 'be2bfac3da23'],
  ['2.2.4', '587bdf053233'],
  ['2.3.0', 'b1b348e02d07'],
  ['2.3.1', '1de7bc13c950'],
  ['2.3.2', '3c94c427fdf6'],
  ['2.3.3', 'f5fcbda3e651'],
  ['2.4.0', 'ecb43d2a1842'],
  ['2.4.2', 'b0d31815b5a6'],
  ['2.4.3', 'e07f49787c9d'],
  ['2.5.0', '290244fb8b83'],
  ['2.6.0', '98ae134e6fff'],
  ['2.6.2', 'c804e5c76e3e'],
  ['2.7.0', '405de8318b3a'],
  ['2.8.0', '10b52ebd31f7'],
  ['2.8.1', '88344c1d9134'],
  ['2.9.0', '1949afb29106'],
  ['2.9.2', '686269002441'],
  ['2.10.0', '22ed7efa9da2'],
  ['2.10.3', '5f2621c13b39'],
  ['3.0.0', '29ce7909c52b'],
  ['3.0.3', 'fe199e1abd77'],
  ['3.1.0', 'cc92b33c6709'],
  ['3.2.0', '658517c60c7f'],
];

/** Revisions that are not a release head but identify one release all the same. */
const OTHER: Record<string, string> = {
  // Airflow 3's squashed 2.6.2 baseline.
  '4bc4d934e2bc': '2.6.2',
  // 3.1.0's head during its development (airflow-core/docs/migrations-ref.rst @ 000d3856).
  '2f49f2dae90c': '3.1.0',
};

export interface AlembicRelease {
  revision: string;
  /** Version to reason with: exact ("2.6.2") or, when the head covers every patch of a minor, "2.7". */
  version: string;
  /** For people: "2.7.0 up to 2.8.0 (exclusive)", "3.0.3". */
  label: string;
  /** First release with this head and the first release with the next one (null: none known). */
  from: string;
  before: string | null;
}

const minorOf = (v: string) => v.split('.').slice(0, 2).join('.');

/** The release a revision id stands for, or null when the table does not know it. */
export function releaseOfRevision(revision: string | null | undefined): AlembicRelease | null {
  if (!revision) return null;
  const rev = revision.trim().toLowerCase();
  const i = HEADS.findIndex(([, r]) => r === rev);
  if (i < 0) {
    const v = OTHER[rev];
    return v ? { revision: rev, version: v, label: v, from: v, before: null } : null;
  }
  const from = HEADS[i][0];
  const before = HEADS[i + 1]?.[0] ?? null;
  // A ".0" head followed by the next minor: any patch of that minor, so only the minor is known.
  const wholeMinor = from.endsWith('.0') && (before === null || minorOf(before) !== minorOf(from));
  const version = wholeMinor ? minorOf(from) : from;
  const label = before ? `${from} up to ${before} (exclusive)` : `${from} or later`;
  return { revision: rev, version, label, from, before };
}

/** True when a configured version ("2.10", "2.7.1") can be a release of the revision's range. */
export function versionMatchesRelease(configured: string, r: AlembicRelease): boolean {
  const nums = (v: string) => v.split('.').filter((p) => p !== '').map((p) => parseInt(p, 10) || 0);
  const key = (n: number[]) => (n[0] ?? 0) * 1e6 + (n[1] ?? 0) * 1e3 + (n[2] ?? 0);
  const c = nums(configured);
  // "2.10" stands for every 2.10.x, "2" for every 2.x: [lo, hi).
  const lo = key(c);
  const hi = c.length >= 3 ? lo + 1 : c.length === 2 ? key([c[0], c[1] + 1]) : key([c[0] + 1]);
  return key(nums(r.from)) < hi && (r.before === null || lo < key(nums(r.before)));
}
