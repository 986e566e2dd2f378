/** Airflow version comparisons. A null version means "unknown": assume the latest Airflow. */

function parts(v: string): number[] {
  return v.split('.').map((p) => {
    const n = parseInt(p, 10);
    return Number.isFinite(n) ? n : 0;
  });
}

/** Compare "major.minor[.patch]" strings numerically ("2.10" > "2.9"). */
export function compareVersions(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** True when `v` is at least `min`; a null (unknown) version counts as the latest, so always true. */
export function versionAtLeast(v: string | null, min: string): boolean {
  return v === null ? true : compareVersions(v, min) >= 0;
}

/**
 * A rule that changed in a patch release (`min` = "X.Y.Z", Z > 0), for a version that may give no
 * patch ("2.7"): 'yes' / 'no' when the version decides it, 'ambiguous' when it names the minor the
 * change happened in without its patch. An unknown (null) version is the latest, so 'yes'.
 */
export function patchGate(v: string | null, min: string): 'yes' | 'no' | 'ambiguous' {
  if (v === null) return 'yes';
  const have = v.split('.').filter((p) => p !== '');
  const want = min.split('.');
  if (have.length < want.length && have.every((p, i) => compareVersions(p, want[i]) === 0)) return 'ambiguous';
  return versionAtLeast(v, min) ? 'yes' : 'no';
}
