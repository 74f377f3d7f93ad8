#!/usr/bin/env bash
# Runs the repository's pre-commit hook, installed by pre-commit from a snapshot of this
# repository as a user's project would install it, against a throwaway project: a clean
# policy, a clean CloudFormation template, Terraform without policies and unrelated JSON /
# YAML files must pass; a policy with PassRole on `*`, in JSON, a template or Terraform, must
# fail.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# pre-commit installs the hook once (`cargo install`, a release build of a few minutes) into
# its own cache here and reuses it for every run below. `pre-commit try-repo` would install
# it again for each of the four runs: 9 of CI's 15 minutes on a fresh machine.
export PRE_COMMIT_HOME="$work/cache"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --no-cache-dir 'pre-commit==4.7.0'
# A hook repository is named by a commit: snapshot the working tree into one.
mkdir "$work/hook"
tar -C "$repo" --exclude=./target --exclude=./.git -cf - . | tar -C "$work/hook" -xf -
git -C "$work/hook" init --quiet
git -C "$work/hook" add -A
git -C "$work/hook" -c user.name=ci -c user.email=ci@example.invalid commit --quiet -m snapshot
mkdir "$work/proj" && cd "$work/proj" && git init --quiet
cp "$repo/testdata/examples/notebook-execution-role.json" good.json
echo '{"name": "not-a-policy", "version": "1.0.0"}' > package.json
printf '%s\n' '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}' > bad.json
cp "$repo/testdata/terraform/no_policies.tf" storage.tf
cat > bad.tf <<'TF'
resource "aws_iam_policy" "pass" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = "*" }]
  })
}
TF
mkdir -p .github/workflows
printf '%s\n' 'name: ci' 'on: [push]' 'jobs: {}' > .github/workflows/ci.yml
cp "$repo/testdata/cloudformation/no-false-malformed-arn.yaml" good-template.yaml
cp "$repo/testdata/cloudformation/iam-role.yaml" bad-template.yaml
rev=$(git -C "$work/hook" rev-parse HEAD)
printf '%s\n' 'repos:' "- repo: $work/hook" "  rev: $rev" '  hooks:' '  - id: mlpolicy' \
  > .pre-commit-config.yaml
git add .pre-commit-config.yaml   # pre-commit refuses to run with its config unstaged
"$work/venv/bin/pre-commit" run mlpolicy --files good.json package.json \
  good-template.yaml .github/workflows/ci.yml storage.tf
for bad in bad.json bad-template.yaml bad.tf; do
  if "$work/venv/bin/pre-commit" run mlpolicy --files "$bad"; then
    echo "pre-commit hook should have failed on $bad"; exit 1
  fi
done
echo "pre-commit hook OK"
