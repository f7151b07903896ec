# tflint for `make lint` (scripts/lint.sh runs it on each root and module).
# Only the bundled terraform ruleset: the AWS ruleset
# (github.com/terraform-linters/tflint-ruleset-aws) is not served by the Go
# module proxy this project builds its toolchain from, and tflint would fetch
# it from GitHub releases.
config {
  # Follow calls into ./modules so module arguments are checked too.
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}
