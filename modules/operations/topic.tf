# The alarms' SNS topic, unless the caller names one: CloudWatch cannot
# publish to a topic under the AWS managed aws/sns key (modules/topic), hence
# the caller's key or one made for the topic.
module "topic" {
  source = "../topic"
  count  = local.create_topic ? 1 : 0

  name = local.topic_name
  publisher = {
    service     = "cloudwatch.amazonaws.com"
    sid         = "CloudWatchAlarmsPublish"
    source_arns = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.name}-*"]
  }
  kms_key_arn     = var.alarms.kms_key_arn
  key_description = "${var.name}: encrypts the ${local.topic_name} SNS topic"
  owner_access    = true
  tags            = local.tags
}

# These lived in this file before modules/topic: moved, not replaced, on upgrade.
moved {
  from = aws_kms_key.alarms[0]
  to   = module.topic[0].aws_kms_key.this[0]
}
moved {
  from = aws_kms_alias.alarms[0]
  to   = module.topic[0].aws_kms_alias.this[0]
}
moved {
  from = aws_sns_topic.alarms[0]
  to   = module.topic[0].aws_sns_topic.this
}
moved {
  from = aws_sns_topic_policy.alarms[0]
  to   = module.topic[0].aws_sns_topic_policy.this
}
