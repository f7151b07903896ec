# The caller's key for SSE.
kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/0b7a1e3c-1111-2222-3333-444455556666"
