"""The analytics team produces daily_sales and features."""
import pendulum
from airflow.sdk import dag, task

from shared.assets import daily_sales, features


@dag(schedule="@daily", start_date=pendulum.datetime(2026, 1, 1), tags=["analytics_reporting_edit"])
def produce_sales():
    @task(outlets=[daily_sales, features])
    def export():
        return "ok"

    export()


produce_sales()
