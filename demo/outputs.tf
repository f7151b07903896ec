output "module" {
  description = "Every output of the module."
  value       = module.ajo_sms
}
