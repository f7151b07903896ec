# Test root: the bucket key is created in the same apply as the module (its ARN
# is unknown at plan), as in examples/complete. create_kms_key = false keeps the
# module's own key count known.

provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "events" {
  description         = "caller-managed key"
  enable_key_rotation = true
}

module "event_export" {
  source = "../../../../modules/event_export"

  name = "ajo-sms-test"
  bucket = {
    encryption = { kms_key_arn = aws_kms_key.events.arn, create_kms_key = false }
  }
}
