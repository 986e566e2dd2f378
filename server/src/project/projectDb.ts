/**
 * The metadata database of one workspace folder: connection, last read state, plans computed for
 * the client (kept so ApplyRequest can find them), and drift (the plan of a sync right now).
 */
import { releaseOfRevision, type AlembicRelease } from '../db/alembicVersions';
import { openDatabase, errorMessage } from '../db/connect';
import { DbError } from '../db/errors';
import { detectSchema } from '../db/schema';
import { readDbState, type DbState } from '../db/state';
import type { Db } from '../db/types';
import type { DbDagGrant } from '../model/access';
import type { AccessConfig } from '../model/config';
import { planSync } from '../sync/plan';
import type { SyncPlan, TagSource, WorkspaceDag } from '../sync/types';

export type DbStatus = 'off' | 'connected' | 'error';

export class ProjectDb {
  state: DbState | null = null;
  status: DbStatus = 'off';
  message: string | undefined;
  /** The last connect found no FAB tables (Airflow 3 without the FAB provider): there is nothing to sync. */
  noFabTables = false;
  private db: Db | null = null;
  private password: string | null = null;
  private readonly plans = new Map<string, SyncPlan>();
  private lookupFor: DbState | null = null;
  private byResource = new Map<string, { role: string; action: string }[]>();
  private names: { state: DbState; names: Set<string> } | null = null;
  private driftCache: { state: DbState; config: AccessConfig; plan: SyncPlan } | null = null;
  /** The connect in flight (with its password): a second caller with the same password joins it. */
  private pending: { password: string | null; done: Promise<DbStatus> } | null = null;
  /** Connects run one after another: a later one (new URL or password) starts when the earlier ends. */
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly config: () => AccessConfig | null,
    private readonly url: () => string,
    private readonly root: string,
  ) {}

  get configured(): boolean {
    return this.url().trim().length > 0;
  }

  /** A connect is in flight (the language server connects in the background; answers meanwhile use no DB state). */
  get connecting(): boolean {
    return this.pending !== null;
  }

  /**
   * Open (or reopen) the connection and read the state. Never throws: failures set status 'error'.
   * While one is in flight, a call with the same password waits for it instead of starting another.
   */
  connect(password: string | null = this.password, opts: { forWrite?: boolean } = {}): Promise<DbStatus> {
    this.password = password;
    if (this.pending && this.pending.password === password) {
      // Joining a read connect: the write's preparation starts once it is open.
      return opts.forWrite ? this.pending.done.then((st) => (this.db?.prepareWrite?.(), st)) : this.pending.done;
    }
    const mine = { password, done: this.queue.then(() => this.connectNow(password, opts.forWrite ?? false)) };
    this.pending = mine;
    this.queue = mine.done.finally(() => {
      if (this.pending === mine) this.pending = null;
    });
    return mine.done;
  }

  private async connectNow(password: string | null, forWrite: boolean): Promise<DbStatus> {
    await this.close();
    if (this.disposed) return this.status;
    if (!this.configured) {
      this.status = 'off';
      this.message = undefined;
      this.state = null;
      return this.status;
    }
    try {
      // forWrite (an apply or rollback is waiting): SQLite's lock helper starts while the file opens, as in the CLI.
      const db = await openDatabase({ url: this.url(), password, baseDir: this.root, forWrite });
      if (this.disposed) {
        await db.close().catch(() => undefined);
        return this.status;
      }
      this.db = db;
      await this.refresh();
    } catch (e) {
      this.status = 'error';
      this.message = errorMessage(e);
      this.noFabTables = e instanceof DbError && e.code === 'no-fab-tables';
      this.state = null;
    }
    return this.status;
  }

  /** Re-read the state from the open connection. */
  async refresh(): Promise<void> {
    if (!this.db) return;
    this.state = await readDbState(this.db, await detectSchema(this.db));
    this.status = 'connected';
    this.message = this.db.label;
  }

  /**
   * The live connection (connecting first if needed); throws with a safe message when unavailable.
   * `forWrite`: the caller applies or rolls back on it. A new connection opens for writing; an open
   * one (opened for reading) prepares the write now (Db.prepareWrite). Reads leave it out.
   */
  async connection(opts: { forWrite?: boolean } = {}): Promise<Db> {
    // A connect in flight has this.password: this call joins it.
    if (!this.db) await this.connect(this.password, opts);
    if (!this.db && this.status !== 'error') await this.connect(this.password, opts);
    if (!this.db) throw new Error(this.message ?? 'No database configured (set airflowDagAccess.database.url).');
    if (opts.forWrite) this.db.prepareWrite?.();
    return this.db;
  }

  /** Grants of the DB relevant to one DAG: global DAGs / DAG Runs and its DAG:<id> / DAG Run:<id>. */
  dagGrants(dagId: string): DbDagGrant[] | undefined {
    const s = this.state;
    if (!s) return undefined;
    if (this.lookupFor !== s) {
      this.lookupFor = s;
      const name = (rows: { id: number; name: string }[]) => new Map(rows.map((r) => [r.id, r.name]));
      const roles = name(s.roles);
      const actions = name(s.actions);
      const resources = name(s.resources);
      const pvs = new Map(s.permissionViews.map((pv) => [pv.id, pv]));
      this.byResource = new Map();
      for (const g of s.grants) {
        const pv = pvs.get(g.permissionViewId);
        const role = roles.get(g.roleId);
        const action = pv && actions.get(pv.actionId);
        const resource = pv && resources.get(pv.resourceId);
        if (!role || !action || !resource) continue;
        const list = this.byResource.get(resource) ?? [];
        list.push({ role, action });
        this.byResource.set(resource, list);
      }
    }
    const out: DbDagGrant[] = [];
    const add = (resource: string, as: 'DAGs' | 'DAG Runs', scope: 'global' | 'dag') => {
      for (const g of this.byResource.get(resource) ?? []) {
        // menu_access on 'DAGs' is the menu entry only: not an action on a DAG (Airflow's 'DAG:<id>'
        // resource has can_read / can_edit / can_delete only), as the default roles' is left out
        // (engine/dagAccess.ts addGlobal). menu_access on 'DAG Runs' is kept, like the default and
        // base roles' one: it is one of the run actions ('DAG Run:<id>' has it too), and the engine
        // counts it on a DAG only when the role can read that DAG (the Browse > DAG Runs list is
        // filtered by `get_permitted_dag_ids`; FabAuthManager.is_authorized_dag ->
        // `_is_authorized_dag_run`, providers/fab/src/airflow/providers/fab/auth_manager/fab_auth_manager.py).
        // Dropping it here made a role read from the DB show less than the same role as a default role.
        if (g.action === 'menu_access' && scope === 'global' && as === 'DAGs') continue;
        out.push({ role: g.role, action: g.action, resource: as, scope });
      }
    };
    add('DAGs', 'DAGs', 'global');
    add('DAG Runs', 'DAG Runs', 'global');
    add(`DAG:${dagId}`, 'DAGs', 'dag');
    add(`DAG Run:${dagId}`, 'DAG Runs', 'dag');
    return out;
  }

  /** The Airflow release the database was migrated by (alembic_version), or null when unknown / not connected. */
  airflowRelease(): AlembicRelease | null {
    return releaseOfRevision(this.state?.schema.alembicVersion);
  }

  /** Role names of the database (null when not connected). Cached per read state: do not modify. */
  roleNames(): Set<string> | null {
    const s = this.state;
    if (!s) return null;
    if (this.names?.state !== s) this.names = { state: s, names: new Set(s.roles.map((r) => r.name)) };
    return this.names.names;
  }

  plan(tagSource: TagSource, workspaceDags?: WorkspaceDag[]): SyncPlan {
    const config = this.config();
    if (!config) throw new Error('No valid role-mapping config: fix airflow-access.yaml first.');
    if (!this.state) throw new Error(this.message ?? 'Not connected to the database.');
    const plan = planSync(this.state, config, { tagSource, workspaceDags });
    this.plans.set(plan.planId, plan);
    return plan;
  }

  getPlan(planId: string): SyncPlan | undefined {
    return this.plans.get(planId);
  }

  /** Drift: what a sync would change now (config grants not applied + unexplained grants to revoke). */
  drift(): SyncPlan | null {
    const config = this.config();
    const state = this.state;
    // Drift between FAB grants and the config means nothing when Airflow does not read FAB grants.
    if (!config || !state || config.airflow.authManager !== 'fab') return null;
    // Depends on the config and the database only (tags come from the DB), not on the DAG files:
    // computed once per config load / DB read, not on every keystroke.
    if (this.driftCache?.state !== state || this.driftCache.config !== config) {
      this.driftCache = { state, config, plan: planSync(state, config, { tagSource: 'db' }) };
    }
    return this.driftCache.plan;
  }

  /** Close for good (the project is disposed): a connect in flight closes what it opens. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.close();
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = null;
    if (db) await db.close().catch(() => undefined);
  }
}
