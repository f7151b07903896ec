variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name prefix of every resource."
  type        = string
  default     = "ajo-sms-legacy"
}

variable "sender_id" {
  description = "Sender ID of the Pinpoint SMS channel, where the destination country supports one."
  type        = string
  default     = "ACME"
}

variable "mps" {
  description = "Message parts per second the Pinpoint SMS channel may send."
  type        = number
  default     = 10
}
