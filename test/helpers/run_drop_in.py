"""Test harness: import a generated drop-in sync DAG without Airflow and run its sync function twice,
each run in its own transaction, against a SQLAlchemy URL. Prints the two runs' counts as JSON."""
import importlib.util
import json
import sys

from sqlalchemy import create_engine

spec = importlib.util.spec_from_file_location("drop_in_dag", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
engine = create_engine(sys.argv[2])
runs = []
for _ in range(2):
    with engine.begin() as conn:
        runs.append(module.sync_tag_grants(conn, module.role_mappings, audit_owner="test"))
engine.dispose()
print(json.dumps({"runs": runs, "airflow_dag": module.DAG is not None}))
