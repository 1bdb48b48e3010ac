#!/usr/bin/env python3
"""The timeline of a Spark event log: each SQL query and each stage with its start (seconds after the application
started), its duration and the first repgap frame of its call site, then the application's end.

Usage: eventlog_timeline.py EVENT_LOG (a file or a rolling log's directory; .zstd via the zstd tool)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eventlog_summary import lines  # noqa: E402


def timeline(path):
    start = None
    for line in lines(path):
        e = json.loads(line)
        kind = e["Event"]
        if kind == "SparkListenerApplicationStart":
            start = e["Timestamp"]
        elif kind.endswith("SQLExecutionStart"):
            print(f"{(e['time'] - start) / 1000:7.1f} s  query {e['description'][:60]}")
        elif kind == "SparkListenerStageCompleted":
            s = e["Stage Info"]
            if "Submission Time" not in s or "Completion Time" not in s:
                continue
            site = next((d.strip() for d in s.get("Details", "").split("\n") if "dev.repgap" in d), "")
            print(f"{(s['Submission Time'] - start) / 1000:7.1f} s  stage {s['Stage ID']:3d}, {s['Number of Tasks']:3d} tasks,"
                  f" {(s['Completion Time'] - s['Submission Time']) / 1000:6.1f} s  {site.replace('dev.repgap.', '')}")
        elif kind == "SparkListenerApplicationEnd":
            print(f"{(e['Timestamp'] - start) / 1000:7.1f} s  end")


if __name__ == "__main__":
    timeline(sys.argv[1])
