# No AWS service sends: IAM principals only.
publisher = null
