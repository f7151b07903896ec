#!/usr/bin/env bash
# Makes an OpenTofu/Terraform CLI and the hashicorp/aws provider available.
#
# The ordinary path wins: with $TERRAFORM, tofu or terraform on PATH and a
# reachable registry, `init` downloads providers as usual and nothing is
# built. Otherwise (no registry, as on CI here) both are built from the Go
# module proxy by scripts/toolchain.sh into a per-machine cache.
#
#   setup-iac.sh           ensure a usable toolchain
#   setup-iac.sh --which   print the CLI binary to use
#   setup-iac.sh --config  print the CLI config file to use (empty: defaults)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="$("$here/toolchain.sh" path)"

installed_cli() {
  if [[ -n "${TERRAFORM:-}" ]]; then echo "$TERRAFORM"; return; fi
  command -v tofu || command -v terraform || true
}

registry_reachable() {
  curl -fsS -m 5 -o /dev/null https://registry.opentofu.org/v1/providers/hashicorp/aws/versions 2>/dev/null
}

offline_ready() { [[ -x "$cache/bin/tofu" && -f "$cache/tofurc" ]]; }

case "${1:-}" in
  --which)
    if offline_ready && [[ -z "${TERRAFORM:-}" ]]; then echo "$cache/bin/tofu"
    else cli="$(installed_cli)"; echo "${cli:-$cache/bin/tofu}"; fi ;;
  --config)
    # The offline config only routes hashicorp/aws to the local mirror. A
    # preset TF_CLI_CONFIG_FILE counts only if the file exists (some images
    # export one that does not).
    if offline_ready && [[ -z "${TERRAFORM:-}" ]]; then echo "$cache/tofurc"
    elif [[ -f "${TF_CLI_CONFIG_FILE:-}" ]]; then echo "$TF_CLI_CONFIG_FILE"; fi ;;
  "")
    cli="$(installed_cli)"
    if offline_ready; then
      echo "offline toolchain ready in $cache ($(TF_CLI_CONFIG_FILE="$cache/tofurc" "$cache/bin/tofu" version | head -1), aws $(cat "$cache/aws-provider-version"))"
    elif [[ -n "$cli" ]] && registry_reachable; then
      echo "using $cli with the public registry"
    else
      echo "no registry reachable: building OpenTofu and the aws provider from Go modules (first time: long, see README)"
      "$here/toolchain.sh" all
    fi ;;
  *) echo "usage: $0 [--which|--config]" >&2; exit 2 ;;
esac
