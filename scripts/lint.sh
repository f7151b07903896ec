#!/usr/bin/env bash
# Static checks behind `make lint`, each reported with its time:
#   ruff (check, format), tofu fmt, tofu validate on every root, tflint,
#   checkov (the tree, then each module alone), and the freshness of the
#   README inputs/outputs tables.
# Expects `make setup-python setup-iac setup-lint` (the lint target runs them).
# Reads the tree, never writes to it: validate runs on a scratch copy.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

# Every Terraform root and module we ship (tests/ fixtures are test scaffolding).
roots=(. modules/api modules/function modules/messaging modules/event_export
  examples/minimal examples/complete examples/legacy-pinpoint demo)
# checkov scans the tree, then each module alone: alone, a module's inputs take
# their defaults instead of the values the root passes, which is where the
# tree scan hides findings (a 30-day log retention, say).
checkov_dirs=(. modules/*)
# READMEs whose inputs/outputs tables scripts/docs.py generates.
doc_dirs=(. modules/* examples/*)

tf="$(scripts/setup-iac.sh --which)"
config="$(scripts/setup-iac.sh --config)"
if [[ -n "$config" ]]; then export TF_CLI_CONFIG_FILE="$config"; fi
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
tflint="${TFLINT:-$(scripts/toolchain.sh path)/bin/tflint}"
py=.venv/bin/python
checkov=.venv-lint/bin/checkov

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
failed=()

# step NAME CMD...: run, keep the output, print it only on failure.
step() {
  local name="$1" start=$SECONDS; shift
  if "$@" >"$scratch/$name.log" 2>&1; then
    printf 'ok      %-16s %3ds\n' "$name" $((SECONDS - start))
  else
    printf 'FAILED  %-16s %3ds\n' "$name" $((SECONDS - start))
    sed 's/^/    /' "$scratch/$name.log"
    failed+=("$name")
  fi
}

# A copy of what validate reads (.tf files, the API schema, dist/ zips), so
# init's .terraform.lock.hcl and module links never land in the shared tree.
validate_all() {
  local copy="$scratch/tree"
  mkdir -p "$copy"
  tar -C "$repo" -cf - --exclude=.git --exclude='.venv*' --exclude=tests --exclude='.tmp-*' \
    --exclude='.case-*' --exclude=.terraform --exclude='.*cache' --exclude=.hypothesis \
    --exclude=bench --exclude=functions . | tar -C "$copy" -xf -
  printf '%s\n' "${roots[@]}" | xargs -P 2 -I{} bash -c '
    cd "$1/$2" && export TF_DATA_DIR="$PWD/.terraform"
    out="$("$0" init -backend=false -input=false -no-color 2>&1)" || { echo "$2: init failed"; echo "$out"; exit 1; }
    if out="$("$0" validate -no-color 2>&1)"; then echo "$2: valid"; else echo "$2:"; echo "$out"; exit 1; fi
  ' "$tf" "$copy" {}
}

tflint_all() {
  local root rc=0
  for root in "${roots[@]}"; do
    echo "== $root"
    "$tflint" --chdir="$root" --config="$repo/.tflint.hcl" --no-color || rc=1
  done
  return $rc
}

docs_check() { "$py" scripts/docs.py --check "${doc_dirs[@]}"; }

checkov_out() { echo "$scratch/checkov-${1//\//_}.out"; }

# checkov is the slowest (single-threaded Python): start it first, in parallel.
(
  rc=0 start=$SECONDS
  for dir in "${checkov_dirs[@]}"; do
    "$checkov" -d "$dir" >"$(checkov_out "$dir")" 2>&1 || rc=1
  done
  echo "$rc $((SECONDS - start))" >"$scratch/checkov.rc"
) &
checkov_pid=$!

step ruff-check "$py" -m ruff check .
step ruff-format "$py" -m ruff format --check .
step tofu-fmt "$tf" fmt -check -recursive -diff .
step tofu-validate validate_all
step tflint tflint_all
step docs docs_check
wait "$checkov_pid" || true
read -r rc took <"$scratch/checkov.rc"
if [[ "$rc" == 0 ]]; then printf 'ok      %-16s %3ds\n' checkov "$took"
else printf 'FAILED  %-16s %3ds\n' checkov "$took"; failed+=(checkov); fi
for dir in "${checkov_dirs[@]}"; do
  out="$(checkov_out "$dir")"
  printf '    %-20s %s\n' "$dir" "$(grep -m1 'Passed checks' "$out" || echo 'no summary')"
  if [[ "$rc" != 0 ]] && ! grep -q 'Failed checks: 0,' "$out"; then sed 's/^/      /' "$out"; fi
done

if ((${#failed[@]})); then echo "lint failed: ${failed[*]}"; exit 1; fi
echo "lint passed"
