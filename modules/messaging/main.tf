# Account, partition and region: the configuration set ARN is built from them so
# that IAM trust conditions and the send policy are known at plan time (the
# resource's own `arn` attribute only exists after apply).
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  arn_prefix = "arn:${local.partition}:sms-voice:${local.region}:${local.account_id}"

  tags = merge(var.tags, { "ajo-sms:module" = "messaging" })

  configuration_set_name = coalesce(var.configuration_set.name, var.name)
  configuration_set_arn  = "${local.arn_prefix}:configuration-set/${local.configuration_set_name}"
}
