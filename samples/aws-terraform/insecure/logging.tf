# API Gateway writes execution and access logs through one CloudWatch role per account and region.
data "aws_iam_policy_document" "apigateway_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "apigateway_cloudwatch" {
  name               = "${local.name_prefix}-apigateway-cloudwatch"
  assume_role_policy = data.aws_iam_policy_document.apigateway_assume_role.json
}

resource "aws_iam_role_policy_attachment" "apigateway_cloudwatch" {
  role       = aws_iam_role.apigateway_cloudwatch.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  cloudwatch_role_arn = aws_iam_role.apigateway_cloudwatch.arn
}

resource "aws_cloudwatch_log_group" "orders_api_access" {
  name              = "/aws/apigateway/${local.name_prefix}-orders/access"
  retention_in_days = var.log_retention_days
}

resource "aws_cloudwatch_log_group" "storefront_api_access" {
  name              = "/aws/apigateway/${local.name_prefix}-storefront/access"
  retention_in_days = var.log_retention_days
}
