athena = { database = "ajo_sms_test", table = "sms_events", workgroup = "reports" }
