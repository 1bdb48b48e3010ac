#!/usr/bin/env python3
"""Summarises Spark event logs: wall time, task time, shuffle and result bytes, peak memory per task.

Usage: eventlog_summary.py EVENT_LOG... (prints one JSON object per log)

Peak memory per task is reported two ways: Spark's "Peak Execution Memory" (memory Spark itself
manages: sorts, aggregations; repgap's scan keeps its states in plain arrays, which this misses), and
the executor JVM's peak heap while the task ran ("JVMHeapMemory" of the task's executor metrics),
which with one core per executor is one task's working set plus the executor's baseline.
"""
import json
import os
import re
import subprocess
import sys


def lines(path):
    """The events of a log: one file, or a rolling log's directory of events_N files; .zstd via the zstd tool."""
    if os.path.isdir(path):
        parts = [f for f in os.listdir(path) if f.startswith("events_")]
        parts.sort(key=lambda f: int(re.match(r"events_(\d+)", f).group(1)))
        for part in parts:
            yield from lines(os.path.join(path, part))
    elif path.endswith(".zstd"):
        yield from subprocess.run(["zstd", "-dc", path], check=True, capture_output=True, text=True).stdout.splitlines()
    else:
        with open(path) as f:
            yield from f


def summarise(path):
    app_start = app_end = None
    stages = {}
    totals = dict(tasks=0, failed_tasks=0, run_ms=0, shuffle_write=0, shuffle_read=0, result_bytes=0,
                  input_bytes=0, peak_execution=0, peak_heap=0)
    executors_removed = 0
    names = {}  # stage id -> name, for the tasks of the scan stages
    scan_tasks = dict(tasks=0, result_bytes=0, shuffle_write=0, run_s_max=0.0, peak_heap=0)
    for line in lines(path):
        e = json.loads(line)
        kind = e["Event"]
        if kind == "SparkListenerApplicationStart":
            app_start = e["Timestamp"]
        elif kind == "SparkListenerApplicationEnd":
            app_end = e["Timestamp"]
        elif kind == "SparkListenerExecutorRemoved":
            executors_removed += 1
        elif kind == "SparkListenerStageSubmitted":
            names[e["Stage Info"]["Stage ID"]] = e["Stage Info"]["Stage Name"]
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
            if is_scan(names.get(e["Stage ID"], "")):
                scan_tasks["tasks"] += 1
                scan_tasks["result_bytes"] += m.get("Result Size", 0)
                scan_tasks["shuffle_write"] += m.get("Shuffle Write Metrics", {}).get("Shuffle Bytes Written", 0)
                scan_tasks["run_s_max"] = max(scan_tasks["run_s_max"], m.get("Executor Run Time", 0) / 1000)
                scan_tasks["peak_heap"] = max(scan_tasks["peak_heap"], x.get("JVMHeapMemory", 0))
    scan = {name: ms for name, ms in stages.items() if "KnnJob" in name or "GapScan" in name}
    return dict(log=path, wall_s=(app_end - app_start) / 1000 if app_start and app_end else None,
                executors_removed=executors_removed, scan_stages_s={k: v / 1000 for k, v in scan.items()},
                scan_tasks=scan_tasks, task_run_s=totals.pop("run_ms") / 1000, **totals)


def is_scan(stage_name):
    """The neighbour scan's stages: the mapPartitions + treeReduce over the references."""
    return stage_name.startswith("treeReduce at KnnJob") or stage_name.startswith("treeReduce at GapScan")


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        sys.exit(0 if len(sys.argv) > 1 else 2)
    for p in sys.argv[1:]:
        print(json.dumps(summarise(p)))
