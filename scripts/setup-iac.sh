#!/usr/bin/env bash
# Makes an OpenTofu/Terraform CLI and the hashicorp/aws provider available.
#
# The ordinary path wins: with $TERRAFORM, tofu or terraform on PATH and a
# reachable registry, `init` downloads providers as usual and nothing is
# built. Otherwise (no registry, as on CI here) both are built from the Go
# module proxy by scripts/toolchain.sh into a per-machine cache.
#
# $TERRAFORM picks the CLI (a name on PATH or a path: `TERRAFORM=terraform`
# for HashiCorp Terraform); unset, the offline-built tofu is used when it
# exists. The offline provider mirror serves both CLIs: its config covers
# registry.opentofu.org and registry.terraform.io.
#
#   setup-iac.sh           ensure a usable toolchain
#   setup-iac.sh --which   print the CLI binary to use
#   setup-iac.sh --config  print the CLI config file to use (empty: defaults)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="$("$here/toolchain.sh" path)"

# The CLI asked for by $TERRAFORM, resolved to a path (empty if not found).
requested_cli() { command -v "$TERRAFORM" || true; }

installed_cli() {
  if [[ -n "${TERRAFORM:-}" ]]; then requested_cli; return; fi
  command -v tofu || command -v terraform || true
}

registry_reachable() {
  curl -fsS -m 5 -o /dev/null https://registry.opentofu.org/v1/providers/hashicorp/aws/versions 2>/dev/null
}

mirror_ready() { [[ -f "$cache/tofurc" ]]; }
offline_ready() { [[ -x "$cache/bin/tofu" ]] && mirror_ready; }

case "${1:-}" in
  --which)
    if [[ -n "${TERRAFORM:-}" ]]; then cli="$(requested_cli)"; echo "${cli:-$TERRAFORM}"
    elif offline_ready; then echo "$cache/bin/tofu"
    else cli="$(installed_cli)"; echo "${cli:-$cache/bin/tofu}"; fi ;;
  --config)
    # The offline config only routes hashicorp/aws to the local mirror. A
    # preset TF_CLI_CONFIG_FILE counts only if the file exists (some images
    # export one that does not).
    if mirror_ready; then echo "$cache/tofurc"
    elif [[ -f "${TF_CLI_CONFIG_FILE:-}" ]]; then echo "$TF_CLI_CONFIG_FILE"; fi ;;
  "")
    cli="$(installed_cli)"
    if [[ -n "${TERRAFORM:-}" && -z "$cli" ]]; then
      echo "TERRAFORM=$TERRAFORM: no such executable" >&2; exit 1
    fi
    if [[ -n "${TERRAFORM:-}" ]] && mirror_ready; then
      echo "using $cli ($(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$cache/tofurc" "$cli" version | head -1)) with the offline provider mirror (aws $(cat "$cache/aws-provider-version"))"
    elif offline_ready; then
      echo "offline toolchain ready in $cache ($(TF_CLI_CONFIG_FILE="$cache/tofurc" "$cache/bin/tofu" version | head -1), aws $(cat "$cache/aws-provider-version"))"
    elif [[ -n "$cli" ]] && registry_reachable; then
      echo "using $cli with the public registry"
    else
      # With $TERRAFORM only the provider is missing.
      what=all; [[ -n "${TERRAFORM:-}" ]] && what=provider
      echo "no registry reachable: building from Go modules ($what; first time: long, see README)"
      "$here/toolchain.sh" "$what"
    fi ;;
  *) echo "usage: $0 [--which|--config]" >&2; exit 2 ;;
esac
