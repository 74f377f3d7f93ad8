#!/usr/bin/env bash
# Runs the repository's pre-commit hook with `pre-commit try-repo` against a throwaway project:
# a clean policy, a clean CloudFormation template, Terraform without policies and unrelated
# JSON / YAML files must pass; a policy with PassRole on `*`, in JSON, a template or Terraform,
# must fail.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Each try-repo installs the hook into a new environment with `cargo install`; one shared
# target folder builds the dependencies once instead of four times.
export CARGO_TARGET_DIR="$work/target"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --no-cache-dir 'pre-commit==4.7.0'
# try-repo needs the hook repository to have a commit: snapshot the working tree into one.
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
"$work/venv/bin/pre-commit" try-repo "$work/hook" mlpolicy --files good.json package.json \
  good-template.yaml .github/workflows/ci.yml storage.tf
for bad in bad.json bad-template.yaml bad.tf; do
  if "$work/venv/bin/pre-commit" try-repo "$work/hook" mlpolicy --files "$bad"; then
    echo "pre-commit hook should have failed on $bad"; exit 1
  fi
done
echo "pre-commit hook OK"
