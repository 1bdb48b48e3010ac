#!/usr/bin/env python3
"""Summarises Spark event logs: wall time, task time, shuffle and result bytes, peak memory per task.

Usage: eventlog_summary.py EVENT_LOG... (prints one JSON object per log)

Peak memory per task is reported two ways: Spark's "Peak Execution Memory" (memory Spark itself
manages: sorts, aggregations; repgap's scan keeps its states in plain arrays, which this misses), and
the executor JVM's peak heap while the task ran ("JVMHeapMemory" of the task's executor metrics),
which with one core per executor is one task's working set plus the executor's baseline.
"""
import json
import sys


def summarise(path):
    app_start = app_end = None
    stages = {}
    totals = dict(tasks=0, failed_tasks=0, run_ms=0, shuffle_write=0, shuffle_read=0, result_bytes=0,
                  input_bytes=0, peak_execution=0, peak_heap=0)
    executors_removed = 0
    with open(path) as f:
        for line in f:
            e = json.loads(line)
            kind = e["Event"]
            if kind == "SparkListenerApplicationStart":
                app_start = e["Timestamp"]
            elif kind == "SparkListenerApplicationEnd":
                app_end = e["Timestamp"]
            elif kind == "SparkListenerExecutorRemoved":
                executors_removed += 1
            elif kind == "SparkListenerStageCompleted":
                s = e["Stage Info"]
                if "Completion Time" in s and "Submission Time" in s:
                    stages.setdefault(s["Stage Name"], 0)
                    stages[s["Stage Name"]] += s["Completion Time"] - s["Submission Time"]
            elif kind == "SparkListenerTaskEnd":
                totals["tasks"] += 1
                if e["Task End Reason"]["Reason"] != "Success":
                    totals["failed_tasks"] += 1
                m = e.get("Task Metrics") or {}
                totals["run_ms"] += m.get("Executor Run Time", 0)
                totals["result_bytes"] += m.get("Result Size", 0)
                totals["input_bytes"] += m.get("Input Metrics", {}).get("Bytes Read", 0)
                totals["shuffle_write"] += m.get("Shuffle Write Metrics", {}).get("Shuffle Bytes Written", 0)
                r = m.get("Shuffle Read Metrics", {})
                totals["shuffle_read"] += r.get("Remote Bytes Read", 0) + r.get("Local Bytes Read", 0)
                for a in e["Task Info"].get("Accumulables", []):
                    if a.get("Name") == "internal.metrics.peakExecutionMemory":
                        totals["peak_execution"] = max(totals["peak_execution"], int(a.get("Update", 0)))
                x = e.get("Task Executor Metrics") or {}
                totals["peak_heap"] = max(totals["peak_heap"], x.get("JVMHeapMemory", 0))
    scan = {name: ms for name, ms in stages.items() if "KnnJob" in name or "GapScan" in name}
    return dict(log=path, wall_s=(app_end - app_start) / 1000 if app_start and app_end else None,
                executors_removed=executors_removed, scan_stages_s={k: v / 1000 for k, v in scan.items()},
                task_run_s=totals.pop("run_ms") / 1000, **totals)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        sys.exit(0 if len(sys.argv) > 1 else 2)
    for p in sys.argv[1:]:
        print(json.dumps(summarise(p)))
