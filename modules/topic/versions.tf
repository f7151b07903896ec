terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # Matches the root module (the offline build provides 6.47.1).
      version = ">= 6.47.1, < 7.0"
    }
  }
}
