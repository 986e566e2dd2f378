"""The analytics team consumes features produced by ML: ML is not in producer_teams, so ML's events are blocked."""
import pendulum
from airflow.sdk import DAG, task

from shared.assets import features

with DAG("score_features", schedule=[features], start_date=pendulum.datetime(2026, 1, 1)):

    @task
    def score():
        return 1

    score()
