#!/usr/bin/env bash
# Builds the OpenTofu CLI and the hashicorp/aws provider from the Go module
# proxy into a per-machine cache outside the clone, and writes a CLI config
# that installs the provider from a filesystem mirror.
#
# Resumable: Go's build cache keeps every compiled package, so an interrupted
# build restarts where it stopped. Idempotent: a finished binary is reused.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../toolchain.env
source "$here/toolchain.env"

cache="${AJO_SMS_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ajo-sms-toolchain}"
jobs="${TOOLCHAIN_BUILD_JOBS:-2}"
goos="$(go env GOOS)"
goarch="$(go env GOARCH)"
mkdir -p "$cache/bin" "$cache/src" "$cache/logs"
export GOFLAGS="-buildvcs=false -mod=readonly"

log() { printf '[toolchain %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# Copies a module from the module cache into a writable source tree: builds
# must run inside the module so its go.mod `replace` directives apply.
module_src() {
  local module="$1" version="$2" dir dest
  dest="$cache/src/$(basename "$module")@$version"
  if [[ ! -f "$dest/.complete" ]]; then
    log "downloading $module@$version"
    dir="$(go mod download -json "$module@$version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
    rm -rf "$dest"
    cp -r "$dir" "$dest"
    chmod -R u+w "$dest"
    touch "$dest/.complete"
  fi
  echo "$dest"
}

# go build -v prints each package as it compiles; count them so a long build
# shows progress instead of silence.
build_with_progress() {
  local name="$1" src="$2" out="$3" ldflags="$4" pkg="$5" total logf
  logf="$cache/logs/$name.log"
  total="$(cd "$src" && go list -deps "$pkg" | wc -l)"
  log "building $name ($total packages, -p $jobs; log: $logf)"
  local start=$SECONDS
  (cd "$src" && go build -v -p "$jobs" -trimpath -ldflags "$ldflags" -o "$out.tmp" "$pkg") 2>&1 |
    tee "$logf" | awk -v total="$total" -v name="$name" \
      '{n++} n % 100 == 0 {printf "[toolchain] %s: %d/%d packages compiled\n", name, n, total > "/dev/stderr"; fflush()}'
  [[ "${PIPESTATUS[0]}" == 0 ]] || { log "build of $name failed, see $logf"; exit 1; }
  mv "$out.tmp" "$out"
  log "built $name in $((SECONDS - start)) s ($(du -h "$out" | cut -f1))"
}

build_tofu() {
  local out="$cache/bin/tofu-$TOFU_VERSION" src
  if [[ ! -x "$out" ]]; then
    src="$(module_src "$TOFU_MODULE" "$TOFU_VERSION")"
    build_with_progress tofu "$src" "$out" \
      "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'" ./cmd/tofu
  fi
  ln -sfn "$out" "$cache/bin/tofu"
}

build_provider() {
  local src version out plugin
  src="$(module_src "$AWS_PROVIDER_MODULE" "$AWS_PROVIDER_PSEUDO_VERSION")"
  version="$(tr -d '[:space:]' < "$src/version/VERSION")"
  out="$cache/bin/terraform-provider-aws_v$version"
  if [[ ! -x "$out" ]]; then
    build_with_progress aws-provider "$src" "$out" \
      "-s -w -X 'github.com/hashicorp/terraform-provider-aws/version.ProviderVersion=$version'" .
  fi
  # Unpacked filesystem-mirror layout, for both registry host names; hard
  # links so the ~800 MB binary exists once on disk.
  for host in registry.opentofu.org registry.terraform.io; do
    plugin="$cache/mirror/$host/hashicorp/aws/$version/${goos}_$goarch"
    mkdir -p "$plugin"
    ln -f "$out" "$plugin/terraform-provider-aws_v$version"
  done
  cat > "$cache/tofurc" <<CFG
# Written by scripts/toolchain.sh: hashicorp/aws from the local mirror, the rest as usual.
provider_installation {
  filesystem_mirror {
    path    = "$cache/mirror"
    include = ["registry.opentofu.org/hashicorp/aws", "registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.opentofu.org/hashicorp/aws", "registry.terraform.io/hashicorp/aws"]
  }
}
CFG
  echo "$version" > "$cache/aws-provider-version"
}

# tflint for `make lint`, with only its bundled terraform ruleset: the AWS
# ruleset (github.com/terraform-linters/tflint-ruleset-aws) is not served by
# the module proxy, and tflint would otherwise download plugins from GitHub.
build_tflint() {
  local out="$cache/bin/tflint-$TFLINT_VERSION" src
  if [[ ! -x "$out" ]]; then
    src="$(module_src "$TFLINT_MODULE" "$TFLINT_VERSION")"
    build_with_progress tflint "$src" "$out" "-s -w" .
  fi
  ln -sfn "$out" "$cache/bin/tflint"
}

case "${1:-all}" in
  tofu) build_tofu ;;
  provider) build_provider ;;
  tflint) build_tflint ;;
  all) build_tofu; build_provider ;;
  path) echo "$cache" ;;
  *) echo "usage: $0 [all|tofu|provider|tflint|path]" >&2; exit 2 ;;
esac
