# REST APIs whose methods have no authorization, each behind a different resource policy. Only the
# routes an Allow to everyone covers without a condition are open; a route no Allow covers is denied
# to everyone, whatever its authorization says.

variable "legacy_stage" {
  type = string
}

locals {
  methods = {
    catalog     = aws_api_gateway_rest_api.catalog
    partners    = aws_api_gateway_rest_api.partners
    intranet    = aws_api_gateway_rest_api.intranet
    maintenance = aws_api_gateway_rest_api.maintenance
    promo       = aws_api_gateway_rest_api.promo
    legacy      = aws_api_gateway_rest_api.legacy
    vault       = aws_api_gateway_rest_api.vault
  }
}

# The policy allows GET /products to everyone and nothing else: GET /stock is denied (implicit deny).
resource "aws_api_gateway_rest_api" "catalog" {
  name = "catalog"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/*/GET/products"
    }]
  })
}

resource "aws_api_gateway_resource" "products" {
  rest_api_id = aws_api_gateway_rest_api.catalog.id
  parent_id   = aws_api_gateway_rest_api.catalog.root_resource_id
  path_part   = "products"
}

resource "aws_api_gateway_method" "list_products" {
  rest_api_id   = aws_api_gateway_rest_api.catalog.id
  resource_id   = aws_api_gateway_resource.products.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_resource" "stock" {
  rest_api_id = aws_api_gateway_rest_api.catalog.id
  parent_id   = aws_api_gateway_rest_api.catalog.root_resource_id
  path_part   = "stock"
}

resource "aws_api_gateway_method" "list_stock" {
  rest_api_id   = aws_api_gateway_rest_api.catalog.id
  resource_id   = aws_api_gateway_resource.stock.id
  http_method   = "GET"
  authorization = "NONE"
}

# Only one partner account may call: its requests must be signed, so the route is not open.
resource "aws_api_gateway_rest_api" "partners" {
  name = "partners"
}

data "aws_iam_policy_document" "partners" {
  statement {
    effect    = "Allow"
    actions   = ["execute-api:Invoke"]
    resources = ["${aws_api_gateway_rest_api.partners.execution_arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::210987654321:root"]
    }
  }
}

resource "aws_api_gateway_rest_api_policy" "partners" {
  rest_api_id = aws_api_gateway_rest_api.partners.id
  policy      = data.aws_iam_policy_document.partners.json
}

resource "aws_api_gateway_method" "partner_orders" {
  rest_api_id   = aws_api_gateway_rest_api.partners.id
  resource_id   = aws_api_gateway_rest_api.partners.root_resource_id
  http_method   = "POST"
  authorization = "NONE"
}

# Everyone is allowed, but a Deny turns away every request that does not come through the VPC endpoint.
resource "aws_api_gateway_rest_api" "intranet" {
  name = "intranet"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "execute-api:Invoke"
        Resource  = "execute-api:/*"
      },
      {
        Effect    = "Deny"
        Principal = "*"
        Action    = "execute-api:Invoke"
        Resource  = "execute-api:/*"
        Condition = {
          StringNotEquals = {
            "aws:SourceVpce" = "vpce-0a1b2c3d4e5f67890"
          }
        }
      }
    ]
  })
}

resource "aws_api_gateway_method" "timesheets" {
  rest_api_id   = aws_api_gateway_rest_api.intranet.id
  resource_id   = aws_api_gateway_rest_api.intranet.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}

# Switched off: an explicit Deny to everyone, without a condition, covers every route.
resource "aws_api_gateway_rest_api" "maintenance" {
  name   = "maintenance"
  policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": "*",
          "Action": "execute-api:Invoke",
          "Resource": "execute-api:/*"
        },
        {
          "Effect": "Deny",
          "Principal": "*",
          "Action": "execute-api:*",
          "Resource": "*"
        }
      ]
    }
  POLICY
}

resource "aws_api_gateway_method" "maintenance_status" {
  rest_api_id   = aws_api_gateway_rest_api.maintenance.id
  resource_id   = aws_api_gateway_rest_api.maintenance.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}

# Open during a date window: whether it is open is not decided against today's date.
resource "aws_api_gateway_rest_api" "promo" {
  name = "promo"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/*"
      Condition = {
        DateLessThan = { "aws:CurrentTime" = "2026-12-31T23:59:59Z" }
      }
    }]
  })
}

resource "aws_api_gateway_method" "promo_codes" {
  rest_api_id   = aws_api_gateway_rest_api.promo.id
  resource_id   = aws_api_gateway_rest_api.promo.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}

# The stage the policy allows comes from a variable without a value.
resource "aws_api_gateway_rest_api" "legacy" {
  name = "legacy"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/${var.legacy_stage}/*"
    }]
  })
}

resource "aws_api_gateway_method" "legacy_report" {
  rest_api_id   = aws_api_gateway_rest_api.legacy.id
  resource_id   = aws_api_gateway_rest_api.legacy.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}

# A PRIVATE API with no resource policy: API Gateway lets nobody invoke it.
resource "aws_api_gateway_rest_api" "vault" {
  name = "vault"
  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_method" "vault_items" {
  rest_api_id   = aws_api_gateway_rest_api.vault.id
  resource_id   = aws_api_gateway_rest_api.vault.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_deployment" "all" {
  for_each    = local.methods
  rest_api_id = each.value.id
}

resource "aws_api_gateway_stage" "prod" {
  for_each      = local.methods
  rest_api_id   = each.value.id
  deployment_id = aws_api_gateway_deployment.all[each.key].id
  stage_name    = "prod"
}
