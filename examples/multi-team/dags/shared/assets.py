"""Assets shared across teams."""
from airflow.sdk import Asset, AssetAccessControl

daily_sales = Asset(
    name="daily_sales",
    uri="s3://warehouse/sales/daily.parquet",
    access_control=AssetAccessControl(producer_teams=["team_analytics"], allow_global=False),
)

features = Asset(
    name="features",
    uri="s3://warehouse/ml/features.parquet",
    allow_producer_teams=["team_analytics"],
)
