# Test root wiring both functions into the API the way the root module does:
# modules/function twice, their outputs into modules/api. Planned offline and
# applied against moto by the e2e test.

provider "aws" {
  region = "eu-west-1"
}

variable "package_filename" {
  type = string
}

variable "manage_account_cloudwatch_role" {
  type    = bool
  default = true
}

locals {
  secret_arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ajo-sms/api-key-AbCdEf"
}

module "send" {
  source = "../../../../modules/function"

  name    = "ajo-sms-wired-send"
  package = { filename = var.package_filename }
  timeout = 10
}

module "authorizer" {
  source = "../../../../modules/function"

  name                 = "ajo-sms-wired-authorizer"
  package              = { filename = var.package_filename }
  timeout              = 5
  reserved_concurrency = null
  environment          = { API_KEY_SECRET_ARN = local.secret_arn }
  policy_statements = [{
    sid       = "ReadApiKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.secret_arn]
  }]
}

module "api" {
  source = "../../../../modules/api"

  name = "ajo-sms-wired"
  send_function = {
    function_name = module.send.function_name
    invoke_arn    = module.send.function_invoke_arn
  }
  authorizer_function = {
    function_name = module.authorizer.function_name
    invoke_arn    = module.authorizer.function_invoke_arn
  }
  manage_account_cloudwatch_role = var.manage_account_cloudwatch_role
}

output "api" {
  value = module.api
}
