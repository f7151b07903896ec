# Same constraints as every versions.tf of the module (tests/root/test_interface.py).
terraform {
  required_version = ">= 1.11"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.47.1, < 7.0"
    }
  }
}
