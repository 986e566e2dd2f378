"""Finance ledger: shared read access by tag, plus an explicit access_control that Airflow re-applies on every parse."""
import pendulum
from airflow.decorators import dag, task

LEDGER_TAGS = ["finance", "finance_read", "analytics_reporting_edit"]


@dag(
    schedule="@hourly",
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    tags=LEDGER_TAGS,
    access_control={"finance_auditor": {"can_read"}},
)
def finance_ledger():
    @task
    def reconcile():
        return 1

    reconcile()


finance_ledger()
