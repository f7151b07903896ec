# API Gateway may invoke each function only from this API: the send function
# for POST /<path_part> (any stage, so the console's test invoke works too),
# the authorizer only as this API's API-key authorizer.

resource "aws_lambda_permission" "send" {
  statement_id  = "AllowInvokeFrom-${var.name}"
  action        = "lambda:InvokeFunction"
  function_name = var.send_function.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*/${aws_api_gateway_method.post.http_method}/${var.path_part}"
}

resource "aws_lambda_permission" "authorizer" {
  statement_id  = "AllowAuthorizerFrom-${var.name}"
  action        = "lambda:InvokeFunction"
  function_name = var.authorizer_function.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/authorizers/${aws_api_gateway_authorizer.api_key.id}"
}
