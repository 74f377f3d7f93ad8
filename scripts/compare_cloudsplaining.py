#!/usr/bin/env python3
"""Compare mlpolicy's risk rules with cloudsplaining's risk categories on a policy corpus.

usage:
  python3 scripts/compare_cloudsplaining.py --mlpolicy BIN --cloudsplaining-python PY DIR...
      [--examples N] [-o REPORT.md]

For every *.json policy document under each DIR (a bare policy or an AWS CLI wrapper), runs
cloudsplaining's PolicyDocument (its defaults: statements with conditions and statements on ARNs
other than `*` are not flagged) in the interpreter PY, and `mlpolicy lint --format json` on the
same folder, then prints, per category and folder, the number of files flagged by each tool, by
both and by one only, with example files and the actions involved on each side.

mlpolicy counts are given twice: all findings, and findings at warning or above (the default
--fail-on), since mlpolicy reports conditioned grants as notes where cloudsplaining drops them.
"""
import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

CATEGORIES = [
    ("privilege-escalation", "allows_privilege_escalation"),
    ("data-exfiltration", "allows_data_exfiltration_actions"),
    ("resource-exposure", "permissions_management_without_constraints"),
    ("credentials-exposure", "credentials_exposure"),
]

DUMP = r'''
import json, sys
from pathlib import Path
from cloudsplaining.scan.policy_document import PolicyDocument
CATS = %s
def document(root):
    if not isinstance(root, dict):
        return None
    if "Statement" in root:
        return root
    for path in (["PolicyVersion", "Document"], ["PolicyDocument"], ["Role", "AssumeRolePolicyDocument"]):
        v = root
        for k in path:
            v = v.get(k) if isinstance(v, dict) else None
        if isinstance(v, dict) and "Statement" in v:
            return v
    return None
out = {}
for d in sys.argv[1:]:
    for f in sorted(Path(d).rglob("*.json")):
        try:
            doc = document(json.loads(f.read_text()))
        except Exception:
            continue
        if doc is None:
            continue
        try:
            p = PolicyDocument(doc)
            res = {}
            for cat, attr in CATS:
                v = getattr(p, attr)
                if v:
                    res[cat] = sorted({a["type"] if isinstance(a, dict) else a for a in v})
            out[str(f)] = res
        except Exception as e:
            out[str(f)] = {"error": str(e)}
json.dump(out, sys.stdout)
''' % repr(CATEGORIES)


def mlpolicy_findings(binary, folder):
    run = subprocess.run([binary, "lint", "--format", "json", "--quiet", folder],
                         capture_output=True, text=True)
    report = json.loads(run.stdout)
    per_file = defaultdict(lambda: defaultdict(list))
    for f in report["findings"]:
        if f["rule"] in dict(CATEGORIES):
            per_file[f["path"]][f["rule"]].append(f)
    return per_file


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mlpolicy", required=True)
    ap.add_argument("--cloudsplaining-python", required=True)
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("-o", "--output")
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    cs = json.loads(subprocess.run([args.cloudsplaining_python, "-c", DUMP, *args.dirs],
                                   capture_output=True, text=True, check=True).stdout)
    lines = ["| folder | category | files | cloudsplaining | mlpolicy (all) | mlpolicy (warning+) "
             "| both | only cloudsplaining | only mlpolicy |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    examples = []
    for folder in args.dirs:
        ml = mlpolicy_findings(args.mlpolicy, folder)
        files = [f for f in cs if f.startswith(folder.rstrip("/") + "/")]
        for cat, _ in CATEGORIES:
            c = {f for f in files if cat in cs[f]}
            m_all = {f for f in files if ml.get(f, {}).get(cat)}
            m_warn = {f for f in files
                      if any(x["severity"] != "note" for x in ml.get(f, {}).get(cat, []))}
            lines.append(f"| {Path(folder).name} | {cat} | {len(files)} | {len(c)} | {len(m_all)} "
                         f"| {len(m_warn)} | {len(c & m_all)} | {len(c - m_all)} | {len(m_all - c)} |")
            for side, only in (("only cloudsplaining", sorted(c - m_all)),
                               ("only mlpolicy", sorted(m_all - c))):
                for f in only[: args.examples]:
                    what = (", ".join(cs[f].get(cat, [])[:4]) if side == "only cloudsplaining"
                            else " | ".join(x["message"][:160] for x in ml[f][cat][:2]))
                    examples.append(f"- {cat}, {side}: `{Path(f).name}`: {what}")
    text = "\n".join(lines + ["", "Examples:", ""] + examples) + "\n"
    if args.output:
        Path(args.output).write_text(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
