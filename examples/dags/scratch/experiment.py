# Ignored by .airflowignore: this DAG is never loaded, so it is not indexed either.
from airflow import DAG

with DAG("scratch_experiment", tags=["marketing_analyst_edit"]) as dag:
    pass
