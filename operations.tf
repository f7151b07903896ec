# Alarms, dashboard and delivery reports (modules/operations) over what this
# root deployed: each resource is named here, so an alarm exists only for a
# resource that exists. Keys of `functions`: authorizer, send, dispatch,
# forwarder, inbound (two-way SMS).

locals {
  operations_forwarder = var.event_export.enabled && (var.event_export.aep_forwarding.enabled || var.event_export.ajo_feedback_webhook != null)
  operations_glue      = var.event_export.enabled && var.event_export.glue.enabled && var.operations.athena_queries
}

module "operations" {
  source = "./modules/operations"

  name              = var.name
  tags              = var.tags
  metrics_namespace = var.operations.metrics_namespace
  dashboard         = var.operations.dashboard
  # Whole, so a field both types declare cannot be left out here
  # (tests/root/test_interface.py).
  alarms = var.operations.alarms

  api = { name = module.api.rest_api_name, stage = module.api.stage_name }
  functions = merge(
    {
      authorizer = { name = module.authorizer_function.function_name, reserved_concurrency = var.functions.authorizer.reserved_concurrency }
      send       = { name = module.send_function.function_name, reserved_concurrency = var.functions.send.reserved_concurrency }
    },
    local.delivery_queues ? { dispatch = { name = module.delivery[0].dispatch_function_name } } : {},
    local.operations_forwarder ? { forwarder = { name = module.event_export[0].aep_function_name } } : {},
    var.two_way.enabled ? { inbound = { name = module.two_way[0].function_name, reserved_concurrency = var.two_way.function.reserved_concurrency } } : {},
  )
  # A queued message expires after delivery.validity_seconds.
  queues = local.delivery_queues ? {
    for type, queue in module.delivery[0].queue_names : type => {
      name = queue, max_age_seconds = var.delivery.validity_seconds
    }
  } : {}
  dead_letter_queues = merge(
    local.delivery_queues ? { delivery = module.delivery[0].dead_letter_queue_name } : {},
    local.operations_forwarder ? { forwarder = module.event_export[0].aep_dead_letter_queue_name } : {},
    var.two_way.enabled ? { inbound = module.two_way[0].dead_letter_queue_name } : {},
  )
  firehose = var.event_export.enabled ? {
    stream_name        = module.event_export[0].firehose_stream_name
    buffering_interval = module.event_export[0].buffering_interval
  } : null
  athena = local.operations_glue ? {
    database            = module.event_export[0].glue_database_name
    table               = module.event_export[0].glue_table_name
    workgroup           = var.operations.athena_workgroup
    journey_context_key = var.operations.journey_context_key
  } : null
  mps = var.delivery.mps
}
