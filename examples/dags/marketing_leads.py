"""Marketing lead analysis. The access tag below has a typo: the quick fix offers the mapped tag."""
import pendulum
from airflow import DAG
from airflow.operators.empty import EmptyOperator

dag = DAG(
    dag_id="marketing_analyst_dag",
    schedule="@daily",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    tags=["marketing", "analytics", "marketing_analyst_edt"],
)

EmptyOperator(task_id="score_leads", dag=dag)
