/**
 * Custom messages between the VS Code client and the language server, and the initialization options
 * the client sends. Both sides import this file (the client through a relative path); nothing else may
 * define these method names. Each message has a `type` (`RequestType<Params, Result, void>` or
 * `NotificationType<Params>`): the server registers with `connection.onRequest(X.type, ...)` and the
 * client sends with `client.sendRequest(X.type, ...)`, so a mismatch in params or result is a compile error.
 *
 * The message classes come from 'vscode-languageserver' (the server's copy of vscode-jsonrpc). The client
 * bundle aliases that import to 'vscode-languageclient/node' (esbuild.mjs), which re-exports the same
 * classes from its own copy: vscode-jsonrpc compares parameter-structure markers by identity, so each
 * side must build its message types with its own copy, and the client bundle must not carry the server
 * library. test/unit/client/bundle.test.ts checks both.
 */
import { NotificationType, RequestType } from 'vscode-languageserver';

/** `initializationOptions` of the initialize request. Every field is optional (Neovim sends none). */
export interface InitializationOptions {
  /** Folder holding tree-sitter.wasm and tree-sitter-python.wasm (the extension's dist/). */
  wasmDir?: string;
  /**
   * Folder for the on-disk facts cache (one file per workspace folder, see indexer/factsCache.ts).
   * VS Code passes a folder under the extension's workspace storage; absent: no cache.
   */
  cacheDir?: string;
  /** The `airflowDagAccess` settings, for clients that do not answer workspace/configuration. */
  settings?: unknown;
}

/** Server -> client: state for the language status item and the tree view. */
export namespace StatusNotification {
  export const method = 'airflowDagAccess/status';
  export const type = new NotificationType<Params>(method);
  export interface FolderStatus {
    folderUri: string;
    configFile: string | null;
    configState: 'ok' | 'missing' | 'invalid';
    configProblems: number;
    dagCount: number;
    fileCount: number;
    /** `noSync`: why no FAB sync is offered (the auth manager is not FAB); then there is no drift either. */
    db: { state: 'off' | 'connected' | 'error'; message?: string; driftCount?: number; noSync?: string };
    /** While the folder's scan runs: files analysed of files found, and the line answers carry meanwhile. */
    indexing?: { done: number; total: number; note: string };
    /** Why the last scan of the folder failed. */
    indexError?: string;
  }
  export interface Params {
    folders: FolderStatus[];
  }
}

/** Server -> client: the index or the config changed (refresh views). */
export namespace IndexChangedNotification {
  export const method = 'airflowDagAccess/indexChanged';
  export const type = new NotificationType<Params>(method);
  export interface Params {
    folderUri: string;
  }
}

/** Client -> server: the database password from SecretStorage (never logged, never persisted by the server). */
export namespace SetDatabasePasswordNotification {
  export const method = 'airflowDagAccess/setDatabasePassword';
  export const type = new NotificationType<Params>(method);
  export interface Params {
    folderUri?: string;
    password: string | null;
  }
}

export interface FolderParams {
  /** Workspace folder; the first folder when omitted. */
  folderUri?: string;
}

/** Plan the sync (read-only). */
export namespace PlanRequest {
  export const method = 'airflowDagAccess/plan';
  export const type = new RequestType<Params, Result, void>(method);
  export interface Params extends FolderParams {
    tagSource?: 'db' | 'workspace';
  }
  export interface Result {
    planId: string;
    folderUri: string;
    /** Terraform-style text: + / - / ~ lines and a summary line. */
    text: string;
    /** The plan as documented JSON (see docs/cli.md). */
    json: unknown;
    summary: { add: number; revoke: number; createRoles: number; createResources: number; warnings: number };
    empty: boolean;
    /** The database the plan is for, safe to show (dialect, host, database, user; never a password). */
    target: string;
  }
}

/** The rollback snapshots of this folder's database, newest first (the CLI's folder: <root>/.airflow-access/snapshots). */
export namespace ListSnapshotsRequest {
  export const method = 'airflowDagAccess/listSnapshots';
  export const type = new RequestType<Params, Result, void>(method);
  export type Params = FolderParams;
  export interface Snapshot {
    file: string;
    planId: string;
    createdAt: string;
    /** Written by a sync that did not say whether it committed (killed): rollback asks the database. */
    pending: boolean;
    /** What rolling it back does: grants removed / restored, roles and resources removed when unused. */
    removes: { grants: number; roles: number; resources: number };
    restores: number;
    /** A short text preview of the rows it restores and removes. */
    preview: string;
  }
  export interface Result {
    target: string;
    snapshots: Snapshot[];
  }
}

/** Undo one sync from its snapshot, in one transaction. */
export namespace RollbackRequest {
  export const method = 'airflowDagAccess/rollback';
  export const type = new RequestType<Params, Result, void>(method);
  export interface Params extends FolderParams {
    file: string;
  }
  export interface Result {
    message: string;
    removed: number;
    restored: number;
    neverCommitted: boolean;
  }
}

/** Apply a plan computed by PlanRequest. Cancelling the request before commit rolls back. */
export namespace ApplyRequest {
  export const method = 'airflowDagAccess/apply';
  export const type = new RequestType<Params, Result, void>(method);
  export interface Params extends FolderParams {
    planId: string;
  }
  export interface Result {
    applied: boolean;
    message: string;
    snapshotFile: string | null;
    summary: { added: number; revoked: number; createdRoles: number; createdResources: number };
  }
}

export namespace DriftRequest {
  export const method = 'airflowDagAccess/drift';
  export const type = new RequestType<Params, Result, void>(method);
  export type Params = FolderParams;
  export interface Result {
    text: string;
    json: unknown;
    count: number;
    /** The database compared, as PlanRequest.Result.target. */
    target: string;
  }
}

export namespace TestConnectionRequest {
  export const method = 'airflowDagAccess/testConnection';
  export const type = new RequestType<Params, Result, void>(method);
  export type Params = FolderParams;
  export interface Result {
    ok: boolean;
    /** One line, never containing the password. */
    message: string;
    details?: { dialect: string; airflowMajor: 2 | 3 | null; fabTables: boolean; dagRunResources: boolean; dagCount: number };
  }
}

/** Explain the effective access of a DAG: at a position in a file, or by dag_id. */
export namespace ExplainRequest {
  export const method = 'airflowDagAccess/explain';
  export const type = new RequestType<Params, Result, void>(method);
  export interface Params extends FolderParams {
    uri?: string;
    position?: { line: number; character: number };
    dagId?: string;
    /** The matrix view's cell: this role on the DAG first (with its grants' provenance), then the DAG's explanation. */
    role?: string;
  }
  export interface Result {
    dagId: string | null;
    markdown: string;
    json: unknown;
  }
}

/** List the DAG ids of a folder (for a quick pick). */
export namespace ListDagsRequest {
  export const method = 'airflowDagAccess/listDags';
  export const type = new RequestType<Params, Result, void>(method);
  export type Params = FolderParams;
  export interface Result {
    dags: { dagId: string; uri: string; line: number }[];
  }
}

/** Roles x DAGs. */
export namespace MatrixRequest {
  export const method = 'airflowDagAccess/matrix';
  export const type = new RequestType<Params, Result, void>(method);
  export type Params = FolderParams;
  /** The matrix model of server/src/engine/matrix.ts in compact arrays (one answer for 10,000 DAGs × 50 roles). */
  export interface Result {
    roles: string[];
    /** builtin[r]: roles[r] is one of Airflow's default roles. */
    builtin: boolean[];
    /** Default roles whose cell is the same on every DAG (folded into one column), and what they hold. */
    folded: number[];
    foldedLine: string;
    /** Sorted by dag_id. */
    dags: { dagId: string; uri: string; line: number }[];
    /** Per DAG: its tags, its team (null: none), why Airflow does not import it (null: it does). */
    tags: string[][];
    teams: (string | null)[];
    notImported: (string | null)[];
    /** codes[dag * roles.length + role]: read / edit / delete / runs, 3 bits each (engine/matrixCell.ts). */
    codes: number[];
    /** The auth manager decides access outside Airflow's database (Keycloak, AWS): why there are no roles. */
    note?: string;
  }
}

/** The matrix as CSV or Markdown: the text `airflow-access matrix --format csv|md` prints. */
export namespace MatrixExportRequest {
  export const method = 'airflowDagAccess/matrixExport';
  export const type = new RequestType<Params, Result, void>(method);
  export interface Params extends FolderParams {
    format: 'csv' | 'md';
  }
  export interface Result {
    text: string;
    dags: number;
    roles: number;
  }
}

/** Data for the "Airflow Access" tree view. */
export namespace TreeRequest {
  export const method = 'airflowDagAccess/tree';
  export const type = new RequestType<Params, Result, void>(method);
  export type Params = FolderParams;
  export interface Location {
    uri: string;
    line: number;
    character: number;
  }
  /** Why a role reaches a DAG: one source of its grants (server/src/engine/grantReasons.ts). */
  export interface Reason {
    kind: 'tag' | 'access_control' | 'default_role' | 'base_role' | 'db' | 'file_auth' | 'simple_auth';
    /** Plain text: "via tag analytics_read", "via access_control", "DAG-wide: base role Viewer", "from the database". */
    label: string;
    /** What this source grants, short: "read", "edit", "runs: read". */
    actions: string[];
    /** On every DAG (the 'DAGs' / 'DAG Runs' resources), not this DAG only. */
    dagWide: boolean;
    /** access_control reverts every grant from this source. */
    reverted: boolean;
    /**
     * Markdown: where the grant comes from and what Airflow does with it, with links to the files.
     * Left out on a DAG-wide reason of a config role under `dags` (the role's `dagWide` has it).
     */
    tooltip?: string;
    /** Where the grant is written: the config line of a tag mapping or base_role, the DAG's access_control. None for DB and default-role grants. */
    location?: Location;
  }
  /** A finding of the engine about one role on one DAG (its AccessConflict): shown on the tree entry, as in the matrix cell. */
  export interface Finding { severity: 'error' | 'warning' | 'info'; message: string }
  /**
   * A config role in the tree's first answer: counts only (its children come from TreeChildrenRequest).
   * `dags`: DAGs it reaches through a live per-DAG grant; `reverted`: per-DAG grants access_control
   * reverts all of; `dagWide`: live actions it holds on every DAG (absent: none).
   */
  export interface RoleSummary { role: string; location?: Location; dags: number; reverted: number; dagWide?: string[] }
  /**
   * A DAG in the first answer: `roles` counts the roles with something particular on it (its
   * children); `dagWideRoles` / `defaultRoles`: roles reaching it only DAG-wide exist.
   */
  export interface DagSummary { dagId: string; location?: Location; roles: number; dagWideRoles?: boolean; defaultRoles?: boolean; /** Why Airflow registers no such DAG (its file does not import). */ notImported?: string }
  /**
   * A role's children. `dagWide`: its access to every DAG, once (not a child per DAG). `dags`: the
   * DAGs it reaches through per-DAG grants (tags, access_control, the DB), reverted ones included.
   * `tooltip`: Markdown about the role. `findings`: the engine's findings about the role on that DAG (absent: none).
   */
  export interface RoleDetail { role: string; tooltip: string; dagWide?: { actions: string[]; reasons: Reason[] }; dags: { dagId: string; actions: string[]; location?: Location; reasons: Reason[]; findings?: Finding[] }[] }
  /**
   * A DAG's children. `roles`: custom roles and default roles with something particular on this DAG,
   * each with why. `defaultRoles`: the default roles that reach it only through their DAG-wide
   * access, on one line; `dagWideRoles`: the same for custom roles (their reasons are on the role's `dagWide`).
   * `findings`: the engine's findings about that role on this DAG (absent: none).
   */
  export interface DagDetail { dagId: string; roles: { role: string; actions: string[]; reasons: Reason[]; findings?: Finding[] }[]; defaultRoles?: string; dagWideRoles?: string }
  /** The top level only, small at 10,000 DAGs: the children of a role or DAG come from TreeChildrenRequest. */
  export interface Result {
    roles: RoleSummary[];
    dags: DagSummary[];
    assets: { key: string; location?: Location; triggeringTeams: string[]; consumers: string[]; producers: string[] }[];
    /** Set while the folder is still being indexed: DAGs and roles may be missing from the tree. */
    partial?: string;
    /** The auth manager decides access outside Airflow's database (Keycloak, AWS): no role reaches a DAG here, and why. */
    note?: string;
  }
}

/** The children of one node of the "Airflow Access" tree, fetched when it is expanded (or its tooltip shown). */
export namespace TreeChildrenRequest {
  export const method = 'airflowDagAccess/treeChildren';
  export const type = new RequestType<Params, Result, void>(method);
  export interface Params extends FolderParams {
    node: { kind: 'role' | 'dag'; name: string };
  }
  /** Neither `role` nor `dag`: the node is gone (the index changed since the top level was read). */
  export interface Result {
    role?: TreeRequest.RoleDetail;
    dag?: TreeRequest.DagDetail;
    partial?: string;
  }
}

/** Test hook (only with ADA_TEST_HOOKS=1): waits `ms` (default 10 s) unless cancelled first. */
export namespace TestWaitRequest {
  export const method = 'airflowDagAccess/test/wait';
  export const type = new RequestType<Params, Result, void>(method);
  export interface Params {
    ms?: number;
  }
  export type Result = 'done';
}

/** Test hook (only with ADA_TEST_HOOKS=1): per folder, files, DAGs, indexing state and analysis/scan counters. */
export namespace TestIndexStatsRequest {
  export const method = 'airflowDagAccess/test/indexStats';
  export const type = new RequestType<object | null, Result, void>(method);
  export type Result = { root: string; files: number; dags: number; indexing: unknown; [counter: string]: unknown }[];
}

/** Test hook (only with ADA_TEST_HOOKS=1): always fails with an internal error. */
export namespace TestThrowRequest {
  export const method = 'airflowDagAccess/test/throw';
  export const type = new RequestType<Params, Result, void>(method);
  export type Params = Record<string, never>;
  export type Result = never;
}
