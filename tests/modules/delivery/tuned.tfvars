delivery = {
  mps                 = 100
  validity_seconds    = 3600
  max_attempts        = 8
  promotional_reserve = 10
  batch_size          = 4
  maximum_concurrency = 8
}
function     = { timeout = 120 }
event_export = false
