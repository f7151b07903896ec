terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.47.1 is the first release the offline build can provide that has the
      # configuration set, opt-out list, phone number and event destination.
      version = ">= 6.47.1, < 7.0"
    }
  }
}
