/**
 * testConnection: open, detect the schema, count live DAGs, close. Never throws; the message is one
 * line without the password (shape of protocol.ts TestConnectionRequest.Result).
 */
import { errorMessage, openDatabase, type OpenOptions } from './connect';
import { detectSchema, schemaProblem } from './schema';
import { readDbState } from './state';

export interface TestConnectionResult {
  ok: boolean;
  message: string;
  details?: { dialect: string; airflowMajor: 2 | 3 | null; fabTables: boolean; dagRunResources: boolean; dagCount: number };
  /** The URL carried an inline password (suggest SecretStorage / AIRFLOW_ACCESS_DB_PASSWORD). */
  inlinePassword?: boolean;
}

export async function testConnection(opts: OpenOptions): Promise<TestConnectionResult> {
  let db;
  try {
    db = await openDatabase(opts);
  } catch (err) {
    return { ok: false, message: errorMessage(err) };
  }
  try {
    const s = await detectSchema(db);
    const problem = schemaProblem(s);
    const details = { dialect: db.dialect, airflowMajor: s.airflowMajor, fabTables: s.fabTables, dagRunResources: s.dagRunResources, dagCount: 0 };
    if (problem) return { ok: false, message: problem, details };
    const state = await readDbState(db, s);
    details.dagCount = state.dags.length;
    const ver = s.airflowMajor ? `Airflow ${s.airflowMajor}.x` : 'Airflow';
    return { ok: true, message: `Connected to ${db.label}: ${ver}, ${state.dags.length} active DAG(s), ${state.roles.length} role(s).`, details };
  } catch (err) {
    return { ok: false, message: errorMessage(err) };
  } finally {
    await db.close();
  }
}
