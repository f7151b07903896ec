module "api" {
  source = "./modules/api"

  name             = var.name
  tags             = var.tags
  auth_header_name = var.auth_header_name
  path_part        = var.api.path
  stage_name       = var.api.stage_name

  send_function = {
    function_name = module.send_function.function_name
    invoke_arn    = module.send_function.function_invoke_arn
  }
  authorizer_function = {
    function_name = module.authorizer_function.function_name
    invoke_arn    = module.authorizer_function.function_invoke_arn
  }
  authorizer = {
    result_ttl_seconds = var.api.authorizer_cache_ttl_seconds
  }
  throttling = {
    rate_limit  = var.api.throttling_rate_limit
    burst_limit = var.api.throttling_burst_limit
  }
  logging = {
    retention_days  = var.api.log_retention_days
    kms_key_arn     = var.kms_key_arn
    execution_level = var.api.execution_logging_level
  }
  xray_tracing_enabled           = var.api.xray_tracing_enabled
  allowed_source_cidrs           = var.api.allowed_source_cidrs
  waf_web_acl_arn                = var.api.waf_web_acl_arn
  custom_domain                  = var.api.custom_domain
  manage_account_cloudwatch_role = var.api.manage_account_cloudwatch_role
  role_path                      = var.iam.role_path
  role_permissions_boundary      = var.iam.role_permissions_boundary
}
