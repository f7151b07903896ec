# The smallest useful deployment: an existing End User Messaging pool (the
# usual case: numbers are registered once, outside Terraform), every other
# setting at its default.

provider "aws" {
  region = var.region
}

module "ajo_sms" {
  source = "../.."

  name = var.name
  sms = {
    origination_identities = { pool_arns = [var.pool_arn] }
  }
  # Queued delivery (the default) sends at the pool's MPS.
  delivery = { mps = var.mps }
}
