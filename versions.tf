terraform {
  # 1.11: write-only attributes and ephemeral resources keep the API key out
  # of state and plan files.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # End User Messaging SMS configuration set, opt-out list, phone number
      # and event destination (the latter first released in 6.48.0; present
      # in the 6.47.1 development build that the offline toolchain pins).
      version = ">= 6.47.1, < 7.0"
    }
  }
}
