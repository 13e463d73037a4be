# Two REST APIs made by one local module from OpenAPI bodies rendered in the root: one with the
# template provider's data source (older configurations), one with templatefile() in a local.

variable "region" {
  type    = string
  default = "eu-west-1"
}

resource "aws_lambda_function" "orders" {
  function_name = "orders"
  role          = "arn:aws:iam::123456789012:role/orders-lambda"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "build/orders.zip"
}

data "template_file" "orders_spec" {
  template = file("${path.module}/specs/orders-api.yaml")
  vars = {
    orders_function_arn = aws_lambda_function.orders.invoke_arn
    region              = var.region
  }
}

module "orders_api" {
  source     = "./modules/rest-api"
  name       = "orders"
  body       = data.template_file.orders_spec.rendered
  stage_name = "prod"
}

locals {
  catalog_spec = templatefile("${path.module}/specs/catalog-api.yaml", {
    catalog_function_arn = aws_lambda_function.orders.invoke_arn
  })
}

module "catalog_api" {
  source     = "./modules/rest-api"
  name       = "catalog"
  body       = local.catalog_spec
  stage_name = "prod"
}
