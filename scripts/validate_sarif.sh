#!/usr/bin/env bash
# usage: validate_sarif.sh FILE.sarif   (exit 0 = valid for GitHub code scanning)
set -euo pipefail
SMT_VERSION=5.7.0
SMT_DIR=${SMT_DIR:-/tmp/sarif-multitool}
HERE=$(cd "$(dirname "$0")" && pwd)
SMT="$SMT_DIR/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$SMT" ]; then
  npm install --prefix "$SMT_DIR" --no-audit --no-fund --loglevel=error "@microsoft/sarif-multitool@$SMT_VERSION"
  chmod u+x "$SMT"   # its postinstall does this; npm 11 may skip install scripts
fi
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
in=$(realpath "$1"); out=$(mktemp -d)/validation.sarif
# Legacy GH1001-GH1007 rules are disabled by default in 5.x; turn them on as errors.
cfg=$(mktemp --suffix=.xml)
{ echo '<?xml version="1.0" encoding="utf-8"?><Properties>'
  for r in GH1001.ProvideRequiredLocationProperties GH1002.InlineThreadFlowLocations \
           GH1003.ProvideRequiredRegionProperties GH1004.ReviewArraysThatExceedConfigurableDefaults \
           GH1005.LocationsMustBeRelativeUrisOrFilePaths GH1006.ProvideCheckoutPath \
           GH1007.ProvideFullyFormattedMessageStrings; do
    echo "<Properties Key=\"$r.Options\"><Property Key=\"RuleEnabled\" Value=\"Error\" Type=\"Driver.RuleEnabledState\" /></Properties>"
  done; echo '</Properties>'; } > "$cfg"
rc=0
"$SMT" validate --rule-kind "Sarif;Gh" --level "Error;Warning" -c "$cfg" \
  --log "ForceOverwrite;PrettyPrint" -o "$out" "$in" || rc=$?
[ -s "$out" ] || { echo "validator produced no output (rc=$rc)"; exit 1; }
python3 "$HERE/sarif_check.py" "$out" || exit 1
[ "$rc" -eq 0 ] || { echo "validator exit code $rc"; exit 1; }
