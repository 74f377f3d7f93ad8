#!/usr/bin/env python3
"""Fail (exit 1) if a Sarif.Multitool validation log has any error/warning result
or the validator itself did not run cleanly. Usage: sarif_check.py VALIDATION_LOG.sarif"""
import json, sys
try:
    log = json.load(open(sys.argv[1], encoding="utf-8-sig"))
except Exception as e:
    print(f"sarif_check: cannot read validator output: {e}"); sys.exit(2)
bad = 0
for run in log.get("runs", []):
    levels = {r["id"]: r.get("defaultConfiguration", {}).get("level", "warning")
              for r in run.get("tool", {}).get("driver", {}).get("rules", [])}
    for inv in run.get("invocations", []):
        notes = [n for n in inv.get("toolExecutionNotifications", []) + inv.get("toolConfigurationNotifications", [])
                 if n.get("level", "warning") == "error"]
        if not inv.get("executionSuccessful", False) or notes:
            bad += 1
            for n in notes: print("VALIDATOR ERROR:", n.get("message", {}).get("text", "")[:300])
            if not notes: print("VALIDATOR ERROR: executionSuccessful is false")
    for res in run.get("results", []):
        if res.get("kind", "fail") != "fail":
            continue
        lvl = res.get("level") or levels.get(res.get("ruleId"), "warning")
        if lvl in ("error", "warning"):
            bad += 1
            loc = (res.get("locations") or [{}])[0].get("physicalLocation", {})
            line = loc.get("region", {}).get("startLine", "?")
            print(f"{lvl.upper()} {res.get('ruleId')} line {line}")
print(f"sarif_check: {bad} problem(s)")
sys.exit(1 if bad else 0)
