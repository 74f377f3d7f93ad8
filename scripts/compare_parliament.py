#!/usr/bin/env python3
"""Compare mlpolicy's findings with parliament's (duo-labs/parliament) on a policy corpus.

usage:
  python3 scripts/compare_parliament.py --mlpolicy-json OUT.json [--corpus DIR]
      [--parliament-cache FILE] [--refresh-parliament] [--parliament-python PY] [-o REPORT.md]

  OUT.json comes from `mlpolicy lint DIR --format json -o OUT.json`.

Parliament's findings are taken from --parliament-cache FILE when that file exists (and
--refresh-parliament is not given). Otherwise parliament runs as a library, in one process, over
every *.json file under --corpus, and the result is written to FILE (when given). parliament must
be importable by this interpreter, or named with --parliament-python (e.g. a venv's python), which
runs this script's --dump-parliament mode in that interpreter. Only the standard library is needed
when a cache is given.

Prints a Markdown report on stdout (or to -o): per check pair, the number of policies flagged by
parliament, by mlpolicy, by both, by one only, with up to --examples file names per disagreement
side; parliament's raw and distinct-(file, issue) counts; issues and rules with no counterpart.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

# Parliament issue code -> mlpolicy rule id (or None: no mlpolicy counterpart yet).
# Several issues may map to one rule; they are then compared as one check (a policy counts as
# flagged by parliament when any of them fires). Codes are those in parliament 1.6.4's config.yaml,
# plus the ones its community auditors (include_community_auditors=True) emit.
# A code parliament reports that is missing here is listed under "unmapped" in the report.
MAPPING = {
    # catalog checks (IAM service / action / condition-key data)
    "UNKNOWN_PREFIX": "unknown-service",
    "UNKNOWN_ACTION": "unknown-action",
    "UNKNOWN_CONDITION_FOR_ACTION": "unknown-condition-key",
    "MISMATCHED_TYPE": "condition-type-mismatch",
    "MISMATCHED_TYPE_BUT_USABLE": "condition-type-mismatch",
    "MISMATCHED_TYPE_OPERATION_TO_NULL": "condition-type-mismatch",
    "RESOURCE_MISMATCH": "resource-mismatch",
    "RESOURCE_STAR": "unnecessary-resource-star",
    # unknown condition *operators* (StringEqual): mlpolicy reports these as invalid-policy
    "UNKNOWN_OPERATOR": "invalid-policy",
    # ARN shape / wildcard resources
    "INVALID_ARN": "malformed-arn",
    "RESOURCE_EFFECTIVELY_STAR": "wildcard-action-on-star-resource",
    # grammar
    "MALFORMED_JSON": "invalid-json",
    "MALFORMED": "invalid-policy",
    "DUPLICATE_SID": "invalid-policy",
    "INVALID_VERSION": "invalid-policy",
    # parliament: any 2008-10-17 policy; mlpolicy: only when it uses policy variables
    "OLD_VERSION": "policy-variable-needs-version",
    # no counterpart yet
    "RESOURCE_POLICY_PRIVILEGE_ESCALATION": None,
    "PRIVILEGE_ESCALATION": None,  # community auditor
    "UNKNOWN_PRINCIPAL": None,
    "UNKNOWN_FEDERATION_SOURCE": None,
    "BAD_PATTERN_FOR_MFA": None,
    "INVALID_SID": None,
    "NO_VERSION": None,
    "EXCEPTION": None,  # parliament caught an internal error in one statement
    "PERMISSIONS_MANAGEMENT_ACTIONS": None,  # community auditor
    "CREDENTIALS_EXPOSURE": None,  # community auditor
    "SENSITIVE_ACCESS": None,  # community auditor
    "NOTPRINCIPAL_WITH_ALLOW": None,  # community auditor
    "NOTRESOURCE_WITH_ALLOW": None,  # community auditor
    "SINGLE_VALUE_CONDITION_TOO_PERMISSIVE": None,  # community auditor
}

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "../shared/corpus/aws-managed"
CACHE_FORMAT = 1


# --------------------------------------------------------------------------------------------
# parliament
# --------------------------------------------------------------------------------------------

def corpus_files(corpus):
    corpus = Path(corpus)
    return sorted(p for p in corpus.rglob("*.json") if p.is_file())


def rel_key(path, corpus):
    return Path(path).resolve().relative_to(Path(corpus).resolve()).as_posix()


def run_parliament(corpus, community=False):
    """Run parliament over every *.json under corpus in this process; return the cache dict."""
    import logging
    logging.disable(logging.CRITICAL)  # parliament logs per-file noise
    import parliament
    from parliament import analyze_policy_string, enhance_finding

    files = corpus_files(corpus)
    findings, crashes = [], []
    start = time.perf_counter()
    for path in files:
        key = rel_key(path, corpus)
        try:
            text = path.read_text(encoding="utf-8")
            policy = analyze_policy_string(
                text, filepath=str(path), include_community_auditors=community)
            found = policy.findings
        except Exception as e:  # parliament crashes on some policies
            crashes.append({
                "file": key,
                "exception": f"{type(e).__name__}: {e}",
                "where": traceback.format_exc().strip().splitlines()[-3].strip(),
            })
            continue
        for f in found:
            try:
                enhance_finding(f)  # fills severity/title from config.yaml, as the CLI does
            except Exception:
                pass
            loc = {k: v for k, v in (f.location or {}).items() if k != "filepath"}
            findings.append({
                "file": key,
                "issue": f.issue,
                "severity": getattr(f, "severity", "") or "",
                "detail": f.detail,
                "location": loc,
            })
    wall = time.perf_counter() - start
    return {
        "format": CACHE_FORMAT,
        "tool": "parliament",
        "version": getattr(parliament, "__version__", "?"),
        "corpus": str(Path(corpus).resolve()),
        "include_community_auditors": community,
        "python": sys.version.split()[0],
        "generated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "wall_seconds": round(wall, 3),
        "issue_severity": {k: v.get("severity", "") for k, v in parliament.config.items()
                           if isinstance(v, dict)},
        "files": [rel_key(p, corpus) for p in files],
        "crashes": crashes,
        "findings": findings,
    }


def load_or_run_parliament(args):
    cache = args.parliament_cache
    if cache and Path(cache).exists() and not args.refresh_parliament:
        with open(cache, encoding="utf-8") as fh:
            data = json.load(fh)
        if data.get("corpus") != str(Path(args.corpus).resolve()):
            print(f"warning: cache {cache} was made for corpus {data.get('corpus')}, "
                  f"not {Path(args.corpus).resolve()}", file=sys.stderr)
        return data, f"cache `{cache}`"
    if args.parliament_python:
        out = cache or os.path.join(os.environ.get("TMPDIR", "/tmp"), "parliament-findings.json")
        cmd = [args.parliament_python, os.path.abspath(__file__), "--dump-parliament", out,
               "--corpus", str(args.corpus)]
        if args.community:
            cmd.append("--community")
        subprocess.run(cmd, check=True)
        with open(out, encoding="utf-8") as fh:
            return json.load(fh), f"run with `{args.parliament_python}`"
    try:
        import parliament  # noqa: F401
    except ImportError:
        sys.exit("compare_parliament: parliament is not importable here; pass --parliament-cache "
                 "FILE (an existing cache), --parliament-python /path/to/venv/bin/python, or run "
                 "this script with a python that has `pip install parliament`")
    data = run_parliament(args.corpus, args.community)
    if cache:
        write_json(cache, data)
    return data, "run in this process"


def write_json(path, data):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, default=str)
        fh.write("\n")


# --------------------------------------------------------------------------------------------
# mlpolicy
# --------------------------------------------------------------------------------------------

def load_mlpolicy(path, corpus_keys):
    """Return (findings with a corpus-relative 'file' key, count of findings outside the corpus)."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    by_base = defaultdict(list)
    for k in corpus_keys:
        by_base[k.rsplit("/", 1)[-1]].append(k)
    out, outside = [], 0
    for f in data.get("findings", []):
        key = match_corpus_key(f.get("path", ""), corpus_keys, by_base)
        if key is None:
            outside += 1
            continue
        out.append(dict(f, file=key))
    return out, outside, data.get("summary", {})


def match_corpus_key(path, corpus_keys, by_base):
    """mlpolicy paths are as given on its command line: match the longest corpus-relative suffix."""
    parts = Path(path).as_posix().split("/")
    if parts[-1] not in by_base:
        return None
    for i in range(len(parts)):
        cand = "/".join(parts[i:])
        if cand in corpus_keys:
            return cand
    return None


# --------------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------------

def short(text, n=160):
    if not isinstance(text, str):
        text = json.dumps(text, default=str, separators=(",", ":"))
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= n else text[: n - 1] + "…"


def p_detail(f):
    loc = f.get("location") or {}
    where = f"L{loc['line']}" if "line" in loc else (f"L{loc['lineno']}" if "lineno" in loc else "")
    s = loc.get("string")
    what = f.get("detail") or s or ""
    if s and f.get("detail") and s not in str(f["detail"]):
        what = f"{s}: {short(f['detail'])}"
    return f"{f['issue']} {where} {short(what)}".replace("  ", " ").strip()


def m_detail(f):
    return f"{f['rule']} L{f.get('line', '?')} {short(f.get('message', ''))}"


def build_report(pdata, psource, mfindings, moutside, msummary, args):
    files = pdata["files"]
    nfiles = len(files)
    pf = pdata["findings"]
    lines = []
    w = lines.append

    raw = Counter(f["issue"] for f in pf)
    distinct = Counter(i for _, i in {(f["file"], f["issue"]) for f in pf})
    sev = dict(pdata.get("issue_severity", {}))
    sev.update({f["issue"]: f["severity"] for f in pf if f.get("severity")})
    p_by = defaultdict(lambda: defaultdict(list))  # issue -> file -> findings
    for f in pf:
        p_by[f["issue"]][f["file"]].append(f)
    m_by = defaultdict(lambda: defaultdict(list))  # rule -> file -> findings
    for f in mfindings:
        m_by[f["rule"]][f["file"]].append(f)

    w(f"# mlpolicy vs parliament {pdata.get('version', '?')} on `{pdata.get('corpus')}`")
    w("")
    w(f"- policies: {nfiles}; parliament: {psource}, wall time of its loop "
      f"{pdata.get('wall_seconds', '?')} s, community auditors "
      f"{'on' if pdata.get('include_community_auditors') else 'off'}")
    w(f"- parliament crashed on {len(pdata['crashes'])} file(s); those count as not flagged by it")
    w(f"- mlpolicy: `{args.mlpolicy_json}`, {len(mfindings)} findings in the corpus"
      + (f", {moutside} outside it (ignored)" if moutside else "")
      + (f"; summary {json.dumps(msummary.get('findings', {}))}" if msummary else ""))
    w("- a policy counts as flagged by a side when that side reports any finding of the row's "
      "issues / rule in it. Note: parliament skips every later check of a statement that has an "
      "UNKNOWN_ACTION / UNKNOWN_PREFIX, and skips the whole policy when a statement is malformed.")
    w("")

    if pdata["crashes"]:
        w("## parliament crashes")
        w("")
        w("| file | exception | where |")
        w("| --- | --- | --- |")
        for c in pdata["crashes"]:
            w(f"| {c['file']} | {short(c['exception'], 200)} | {short(c.get('where', ''), 120)} |")
        w("")

    # ---- pairs ----
    groups = defaultdict(list)  # rule -> [issues]
    for issue, rule in MAPPING.items():
        if rule:
            groups[rule].append(issue)
    w("## Check pairs (policies flagged)")
    w("")
    w("| parliament issue(s) | mlpolicy rule | parliament | mlpolicy | both | only parliament "
      "| only mlpolicy |")
    w("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    detail_sections = []
    for rule in sorted(groups, key=lambda r: (-sum(distinct[i] for i in groups[r]), r)):
        issues = groups[rule]
        pfiles = {fn for i in issues for fn in p_by[i]}
        mfiles = set(m_by[rule])
        both, only_p, only_m = pfiles & mfiles, pfiles - mfiles, mfiles - pfiles
        rule_note = "" if rule in m_by else " (none reported)"
        w(f"| {', '.join(issues)} | `{rule}`{rule_note} | {len(pfiles)} | {len(mfiles)} | "
          f"{len(both)} | {len(only_p)} | {len(only_m)} |")
        sec = []
        if only_p:
            sec.append(f"Only parliament ({len(only_p)}):")
            sec.append("")
            for fn in sorted(only_p)[: args.examples]:
                fs = [f for i in issues for f in p_by[i].get(fn, [])]
                more = f" (+{len(fs) - 1} more)" if len(fs) > 1 else ""
                sec.append(f"- `{fn}`: {p_detail(fs[0])}{more}")
            sec.append("")
        if only_m:
            sec.append(f"Only mlpolicy ({len(only_m)}):")
            sec.append("")
            for fn in sorted(only_m)[: args.examples]:
                fs = m_by[rule][fn]
                more = f" (+{len(fs) - 1} more)" if len(fs) > 1 else ""
                sec.append(f"- `{fn}`: {m_detail(fs[0])}{more}")
            sec.append("")
        if sec:
            detail_sections.append((f"### {', '.join(issues)} vs `{rule}`", sec))
    for issue in sorted((i for i, r in MAPPING.items() if not r and distinct[i]),
                        key=lambda i: -distinct[i]):
        w(f"| {issue} | (none yet) | {distinct[issue]} | – | – | {distinct[issue]} | – |")
    w("")
    if detail_sections:
        w("## Disagreements (up to %d examples per side)" % args.examples)
        w("")
        for title, sec in detail_sections:
            w(title)
            w("")
            lines.extend(sec)

    # ---- parliament per-issue counts ----
    w("## parliament issues on the corpus")
    w("")
    w("| issue | severity | findings | policies | mlpolicy rule |")
    w("| --- | --- | ---: | ---: | --- |")
    for issue in sorted(set(raw) | set(MAPPING), key=lambda i: (-raw[i], i)):
        if issue not in MAPPING:
            mapped = "**unmapped**"
        else:
            mapped = f"`{MAPPING[issue]}`" if MAPPING[issue] else "(none yet)"
        w(f"| {issue} | {sev.get(issue, '')} | {raw[issue]} | {distinct[issue]} | {mapped} |")
    w("")

    unmapped = sorted(i for i in raw if i not in MAPPING)
    w("## Unmapped")
    w("")
    if unmapped:
        w("parliament issues missing from MAPPING: " + ", ".join(
            f"{i} ({raw[i]} findings, {distinct[i]} policies)" for i in unmapped))
    else:
        w("parliament issues missing from MAPPING: none")
    mapped_rules = {r for r in MAPPING.values() if r}
    extra = sorted(r for r in m_by if r not in mapped_rules)
    if extra:
        w("")
        w("mlpolicy rules with no parliament counterpart: " + ", ".join(
            f"`{r}` ({sum(len(v) for v in m_by[r].values())} findings, {len(m_by[r])} policies)"
            for r in extra))
    w("")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mlpolicy-json", help="output of `mlpolicy lint DIR --format json -o FILE`")
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS),
                    help="folder of policies (default: ../shared/corpus/aws-managed)")
    ap.add_argument("--parliament-cache", metavar="FILE",
                    help="read parliament's findings from FILE if it exists, else write them there")
    ap.add_argument("--refresh-parliament", action="store_true",
                    help="rerun parliament even if the cache exists")
    ap.add_argument("--parliament-python", metavar="PY",
                    help="python interpreter that has parliament installed (runs it there)")
    ap.add_argument("--community", action="store_true",
                    help="enable parliament's community auditors (off by default)")
    ap.add_argument("--examples", type=int, default=10, help="examples per disagreement side")
    ap.add_argument("-o", "--output", help="write the Markdown report to this file")
    ap.add_argument("--dump-parliament", metavar="FILE", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if not Path(args.corpus).is_dir():
        sys.exit(f"compare_parliament: corpus {args.corpus} is not a folder")
    if args.dump_parliament:
        write_json(args.dump_parliament, run_parliament(args.corpus, args.community))
        return 0
    if not args.mlpolicy_json:
        ap.error("--mlpolicy-json is required")

    pdata, psource = load_or_run_parliament(args)
    mfindings, moutside, msummary = load_mlpolicy(args.mlpolicy_json, set(pdata["files"]))
    report = build_report(pdata, psource, mfindings, moutside, msummary, args)
    if args.output:
        Path(args.output).write_text(report + "\n", encoding="utf-8")
    else:
        sys.stdout.write(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
