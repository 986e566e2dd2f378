/**
 * The sync logic of the drop-in DAG (`generate-sync-dag --replace`), as Python source: a plain
 * function over a SQLAlchemy connection (1.4 or 2.x; no Airflow import), so it can be tested and run
 * outside Airflow. It follows the planner's rules (sync/planCore.ts, sync/desired.ts):
 *  - tags are read from `dag_tag` of live DAGs (`is_active` true on 2.x, `is_stale` false on 3.x);
 *  - Admin is never managed, the other built-in roles only with manage_builtin;
 *  - a missing role is created with its base role's permissions other than per-DAG ones;
 *  - a missing `DAG:<dag_id>` resource (at most 250 characters) and permission pair are created;
 *  - cleanup revokes a role's per-DAG grants (`DAG:` and `DAG Run:` resources) that no tag explains,
 *    never a grant it keeps (no window without access);
 *  - everything runs in the caller's transaction, one set-based statement per role and step, with
 *    bound parameters; an audit row goes to `log` when anything changed.
 * Placeholders filled by dropInDag.ts: __BUILTIN_ROLES__ (model/defaultRoles.ts DEFAULT_ROLES as a
 * Python tuple), __PG_LOCK_KEY__, __MYSQL_LOCK_NAME__.
 */
export const SYNC_FUNCTION_PY = `BUILTIN_ROLES = __BUILTIN_ROLES__
RESOURCE_NAME_MAX = 250
PG_LOCK_KEY = __PG_LOCK_KEY__
MYSQL_LOCK_NAME = __MYSQL_LOCK_NAME__


def roles_from_mappings(role_mappings):
    """role_mappings entries (nested {label: {...}} or flat {...}) -> roles in order, merged by name."""
    roles = {}
    for entry in role_mappings:
        mapping = entry
        if len(entry) == 1 and isinstance(list(entry.values())[0], dict):
            mapping = list(entry.values())[0]
        name = mapping["airflow_role"]
        role = roles.setdefault(name, {"name": name, "tags": [], "permissions": [], "cleanup": False, "base_role": "Viewer"})
        tag = mapping["airflow_edit_tag"]
        if tag not in role["tags"]:
            role["tags"].append(tag)
        for perm in mapping.get("permissions", ["can_read"]):
            if perm not in role["permissions"]:
                role["permissions"].append(perm)
        role["cleanup"] = role["cleanup"] or bool(mapping.get("do_cleanup", True))
    return list(roles.values())


def sync_tag_grants(conn, role_mappings, audit_owner="airflow-access sync DAG", manage_builtin=False):
    """Bring the roles' per-DAG grants in line with the DAG tags. Returns the counts of changed rows.

    conn: a SQLAlchemy Connection inside a transaction (the caller commits or rolls back).
    """
    import json
    from sqlalchemy import bindparam, inspect, text

    dialect = conn.dialect.name

    def run(sql, expanding=(), **params):
        stmt = text(sql)
        if expanding:
            stmt = stmt.bindparams(*[bindparam(name, expanding=True) for name in expanding])
        return conn.execute(stmt, params)

    def concat(a, b):
        return "CONCAT(%s, %s)" % (a, b) if dialect == "mysql" else "(%s || %s)" % (a, b)

    if dialect == "postgresql":
        run("SELECT pg_advisory_xact_lock(:key)", key=PG_LOCK_KEY)
    elif dialect == "mysql":
        if run("SELECT GET_LOCK(:name, 60)", name=MYSQL_LOCK_NAME).scalar() != 1:
            raise RuntimeError("another sync holds the lock; try again later")

    inspector = inspect(conn)
    dag_columns = {c["name"] for c in inspector.get_columns("dag")}
    live = "d.is_stale = :no" if "is_stale" in dag_columns else "d.is_active = :yes"
    counts = {"roles_created": 0, "resources_created": 0, "grants_added": 0, "grants_revoked": 0}
    managed = [r for r in roles_from_mappings(role_mappings) if r["name"] != "Admin" and (manage_builtin or r["name"] not in BUILTIN_ROLES)]
    # Per-DAG resources a role wants: "DAG:" + dag_id of each live DAG carrying one of its tags.
    tagged = (
        "FROM dag_tag t JOIN dag d ON d.dag_id = t.dag_id "
        "JOIN ab_view_menu v ON v.name = " + concat(":prefix", "t.dag_id") + " "
        "WHERE t.name IN :tags AND " + live
    )
    wanted_pv = (
        "SELECT pv.id " + tagged.replace("WHERE", "JOIN ab_permission_view pv ON pv.view_menu_id = v.id "
                                         "JOIN ab_permission p ON p.id = pv.permission_id WHERE p.name IN :perms AND")
    )
    per_dag = "SELECT pv.id FROM ab_permission_view pv JOIN ab_view_menu v ON v.id = pv.view_menu_id WHERE v.name LIKE :dag_like OR v.name LIKE :run_like"
    common = dict(prefix="DAG:", yes=True, no=False)

    try:
        for role in managed:
            row = run("SELECT id FROM ab_role WHERE name = :name", name=role["name"]).first()
            created = row is None
            if created:
                run("INSERT INTO ab_role (name) VALUES (:name)", name=role["name"])
                role_id = run("SELECT id FROM ab_role WHERE name = :name", name=role["name"]).scalar()
                counts["roles_created"] += 1
                counts["grants_added"] += run(
                    "INSERT INTO ab_permission_view_role (permission_view_id, role_id) "
                    "SELECT g.permission_view_id, :role_id FROM ab_permission_view_role g JOIN ab_role b ON b.id = g.role_id "
                    "WHERE b.name = :base AND g.permission_view_id NOT IN (" + per_dag + ")",
                    role_id=role_id, base=role["base_role"], dag_like="DAG:%", run_like="DAG Run:%",
                ).rowcount
            else:
                role_id = row[0]
            params = dict(common, tags=role["tags"], perms=role["permissions"], role_id=role_id)
            if role["permissions"] and role["tags"]:
                counts["resources_created"] += run(
                    "INSERT INTO ab_view_menu (name) SELECT DISTINCT " + concat(":prefix", "t.dag_id") + " "
                    "FROM dag_tag t JOIN dag d ON d.dag_id = t.dag_id WHERE t.name IN :tags AND " + live + " "
                    "AND LENGTH(t.dag_id) <= :room AND NOT EXISTS (SELECT 1 FROM ab_view_menu x WHERE x.name = " + concat(":prefix", "t.dag_id") + ")",
                    expanding=("tags",), room=RESOURCE_NAME_MAX - len("DAG:"), **dict(common, tags=role["tags"]),
                ).rowcount
                run(
                    "INSERT INTO ab_permission_view (permission_id, view_menu_id) SELECT DISTINCT p.id, v.id " + tagged.replace(
                        "WHERE", "JOIN ab_permission p ON p.name IN :perms WHERE") + " "
                    "AND NOT EXISTS (SELECT 1 FROM ab_permission_view x WHERE x.permission_id = p.id AND x.view_menu_id = v.id)",
                    expanding=("tags", "perms"), **dict(common, tags=role["tags"], perms=role["permissions"]),
                )
                counts["grants_added"] += run(
                    "INSERT INTO ab_permission_view_role (permission_view_id, role_id) SELECT DISTINCT w.id, :role_id FROM ("
                    + wanted_pv + ") w WHERE NOT EXISTS (SELECT 1 FROM ab_permission_view_role g WHERE g.permission_view_id = w.id AND g.role_id = :role_id)",
                    expanding=("tags", "perms"), **params,
                ).rowcount
            if role["cleanup"] and not created:
                keep = ("AND permission_view_id NOT IN (SELECT w.id FROM (" + wanted_pv + ") w)") if role["permissions"] and role["tags"] else ""
                counts["grants_revoked"] += run(
                    "DELETE FROM ab_permission_view_role WHERE role_id = :role_id AND permission_view_id IN (SELECT q.id FROM (" + per_dag + ") q) " + keep,
                    expanding=("tags", "perms") if keep else (), dag_like="DAG:%", run_like="DAG Run:%", **params,
                ).rowcount
        if any(counts.values()) and inspector.has_table("log"):
            run(
                "INSERT INTO log (dttm, event, owner, extra) VALUES (CURRENT_TIMESTAMP, :event, :owner, :extra)",
                event="airflow-dag-access sync", owner=audit_owner[:500], extra=json.dumps(dict(counts, tool="airflow-dag-access")),
            )
    finally:
        if dialect == "mysql":
            run("SELECT RELEASE_LOCK(:name)", name=MYSQL_LOCK_NAME)
    return counts
`;
