/**
 * Role names as the database compares them. PostgreSQL (deterministic collations) and SQLite
 * (BINARY) compare code points, so the key is the name. MySQL/MariaDB compare `ab_role.name` with
 * its column collation: with Airflow's usual `utf8mb4_unicode_ci` (UCA 4.0.0, PAD SPACE), "Viewer ",
 * "Viewer\u200b", "Ｖiewer", "viewer" and "Viéwer" are all the role "Viewer", so a role created under
 * such a name is never created, and its grants land on (or are already held by) the other role.
 *
 * The key below follows what MariaDB 10.11 answers for `utf8mb4_unicode_ci` (checked row by row in
 * test/db/collation.test.ts): trailing spaces do not count (PAD SPACE), case and accents do not count,
 * compatibility forms are their plain letters (full width, ligatures, roman numerals: NFKD), format
 * characters (zero width space, joiners, bidi controls, BOM) and most C0 controls are ignored, and
 * every character outside the BMP weighs the same. Other case- or accent-insensitive collations get
 * the same key: it may call two names equal that such a collation keeps apart (the role is then not
 * created, with a warning), never the reverse. `_bin` collations compare code points (with PAD SPACE
 * unless the collation is NO PAD).
 */
import { dialectFor } from '../db/dialects';
import type { SchemaInfo } from '../db/schema';

export type NameKey = (name: string) => string;

const exact: NameKey = (name) => name;

/** Ignorable at every level in UCA 4.0: C0 controls but TAB..CR, DEL, format characters but SOFT HYPHEN, combining marks. */
const IGNORABLE = /[\u0000-\u0008\u000e-\u001f\u007f]|(?!\u00ad)\p{Cf}|\p{Mn}|\p{Me}/gu;
/** Everything outside the BMP: one weight in the UCA 4.0 collations of MariaDB/MySQL (`_unicode_ci`, `_general_ci`). */
const SUPPLEMENTARY = /[\u{10000}-\u{10FFFF}]/gu;
const TRAILING_SPACES = / +$/;

/** The collation of `ab_role.name` read by detectSchema (`... COLLATE <name>`), or null. */
export function roleCollation(schema: Pick<SchemaInfo, 'dialect' | 'nameTypes'>): string | null {
  const m = /COLLATE\s+(\w+)/i.exec(schema.nameTypes?.ab_role ?? '');
  return m ? m[1].toLowerCase() : null;
}

/** How the database compares role names; a MySQL database whose collation is unknown is taken as `utf8mb4_unicode_ci`. */
export function roleNameKey(schema: Pick<SchemaInfo, 'dialect' | 'nameTypes'>): NameKey {
  if (dialectFor(schema.dialect).roleNames === 'code-points') return exact;
  return collationKey(roleCollation(schema) ?? 'utf8mb4_unicode_ci');
}

export function collationKey(collation: string): NameKey {
  const c = collation.toLowerCase();
  // MySQL 8's UCA 9.0 collations (`_0900_`) and MariaDB's `_nopad_` ones are NO PAD; the others PAD SPACE.
  const pad = !c.includes('nopad') && !c.includes('_0900_');
  const unpad = pad ? (s: string) => s.replace(TRAILING_SPACES, '') : exact;
  if (c.endsWith('_bin')) return unpad;
  const oneSupplementaryWeight = /_(unicode|general)_ci$/.test(c);
  return (name) => {
    const s = oneSupplementaryWeight ? name.replace(SUPPLEMENTARY, '\uffff') : name;
    // Lower case first (dotless ı stays apart from i), ß weighs as ss.
    return unpad(s.toLowerCase().replace(/\u00df/g, 'ss').normalize('NFKD').replace(IGNORABLE, ''));
  };
}

/** Which clause of the key made two different names equal, for the warning. */
export function whyEqual(a: string, b: string): string {
  const trim = (s: string) => s.replace(TRAILING_SPACES, '');
  if (trim(a) === trim(b)) return 'only by trailing spaces';
  if (a.toLowerCase() === b.toLowerCase()) return 'only by case';
  if (trim(a).toLowerCase() === trim(b).toLowerCase()) return 'only by case and trailing spaces';
  return 'only by characters the database ignores or folds (case, accents, width, zero-width or control characters)';
}
