/**
 * Custom messages between the VS Code client and the language server. Both sides import this file
 * (the client through a relative path); nothing else may define these method names.
 */

/** Server -> client: state for the language status item and the tree view. */
export namespace StatusNotification {
  export const method = 'airflowDagAccess/status';
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
  export interface Params {
    folderUri: string;
  }
}

/** Client -> server: the database password from SecretStorage (never logged, never persisted by the server). */
export namespace SetDatabasePasswordNotification {
  export const method = 'airflowDagAccess/setDatabasePassword';
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
  export type Params = FolderParams;
  export interface Result {
    text: string;
    json: unknown;
    count: number;
  }
}

export namespace TestConnectionRequest {
  export const method = 'airflowDagAccess/testConnection';
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
  export interface Params extends FolderParams {
    uri?: string;
    position?: { line: number; character: number };
    dagId?: string;
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
  export type Params = FolderParams;
  export interface Result {
    dags: { dagId: string; uri: string; line: number }[];
  }
}

/** Roles x DAGs. */
export namespace MatrixRequest {
  export const method = 'airflowDagAccess/matrix';
  export type Params = FolderParams;
  export interface Result {
    roles: string[];
    dags: { dagId: string; uri: string; line: number }[];
    /** cells[dagIndex][roleIndex] = actions, e.g. ["can_read","can_edit"]. */
    cells: string[][][];
    csv: string;
    markdown: string;
  }
}

/** Data for the "Airflow Access" tree view. */
export namespace TreeRequest {
  export const method = 'airflowDagAccess/tree';
  export type Params = FolderParams;
  export interface Location {
    uri: string;
    line: number;
    character: number;
  }
  export interface Result {
    /** `dagWide`: the DAG actions the role holds on every DAG ('DAGs' resource), when any. */
    roles: { role: string; location?: Location; dags: { dagId: string; actions: string[]; location?: Location; dagWide?: string[] }[] }[];
    /**
     * `roles`: custom roles and default roles with something particular on this DAG. `defaultRoles`:
     * the default roles that reach it only through their DAG-wide access, on one line.
     */
    dags: { dagId: string; location?: Location; roles: { role: string; actions: string[]; dagWide?: string[] }[]; defaultRoles?: string; /** Why Airflow registers no such DAG (its file does not import). */ notImported?: string }[];
    assets: { key: string; location?: Location; triggeringTeams: string[]; consumers: string[]; producers: string[] }[];
    /** Set while the folder is still being indexed: DAGs and roles may be missing from the tree. */
    partial?: string;
  }
}
