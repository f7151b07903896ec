variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name prefix of every resource."
  type        = string
  default     = "ajo-sms"
}

variable "pool_arn" {
  description = "ARN of an existing End User Messaging SMS pool to send from."
  type        = string
  default     = "arn:aws:sms-voice:us-east-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef"
}

variable "mps" {
  description = "Message parts per second the pool sends (the sum of its numbers' MPS: US toll-free 3, 10DLC 1 per number, short code 100)."
  type        = number
  default     = 3
}
