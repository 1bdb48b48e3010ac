"""Airflow DAG: the nightly repgap sweep and trend check.

Tasks: `sweep` (the spec's analyses on every group that is new or changed since the last run; exit 1 when
some groups failed, which fails the task after the other groups' results are committed), then `check`, which fails the task (exit code 1) when the results moved beyond the rules, so
Airflow's alerting (email_on_failure, on_failure_callback) fires; `report` runs in any case
(trigger_rule all_done) so the page shows what moved. Exit code 2 (bad input) also fails `check`.

Copy into the DAGs folder and set the Airflow Variables repgap_home, repgap_results, repgap_activations_root.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.utils.trigger_rule import TriggerRule

HOME = "{{ var.value.repgap_home }}"
SUBMIT = "spark-submit --master yarn --deploy-mode client --class dev.repgap.cli.Main " + HOME + "/jobs/target/repgap.jar"
ACTS = "{{ var.value.repgap_activations_root }}"
RESULTS = "{{ var.value.repgap_results }}"
SPEC = HOME + "/cluster/schedules/sweep.yaml"
RULES = HOME + "/cluster/schedules/rules.yaml"

with DAG(
    dag_id="repgap_nightly",
    schedule="30 2 * * *",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=10), "email_on_failure": True},
    tags=["repgap"],
) as dag:
    sweep = BashOperator(
        task_id="sweep",
        # a retry resumes: units committed before a failure are skipped
        bash_command=f"{SUBMIT} sweep --spec {SPEC} --input {ACTS} --results {RESULTS}",
    )
    check = BashOperator(
        task_id="check",
        # exit 1 = anomalies, 2 = bad input: both fail the task and alert; no retry would change the answer
        bash_command=f"{SUBMIT} check --results {RESULTS} --rules {RULES}",
        retries=0,
    )
    report = BashOperator(
        task_id="report",
        bash_command=f"{SUBMIT} report --results {RESULTS} --rules {RULES} --out /var/lib/repgap/report-{{{{ ds }}}}.html",
        trigger_rule=TriggerRule.ALL_DONE,
    )
    sweep >> check >> report
