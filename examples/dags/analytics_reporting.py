"""Daily analytics reporting pipeline."""
import pendulum
from airflow import DAG
from airflow.operators.empty import EmptyOperator

with DAG(
    "analytics_reporting_dag",
    description="Daily analytics reporting pipeline",
    schedule="@daily",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    tags=["reporting", "analytics", "analytics_reporting_edit"],
) as dag:
    EmptyOperator(task_id="build_report")
