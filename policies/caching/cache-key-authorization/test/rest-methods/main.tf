resource "aws_api_gateway_rest_api" "shop" {
  name = "shop"
}

resource "aws_api_gateway_authorizer" "cognito" {
  name          = "cognito"
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_EXAMPLE"]
}

resource "aws_api_gateway_authorizer" "session" {
  name            = "session"
  rest_api_id     = aws_api_gateway_rest_api.shop.id
  type            = "REQUEST"
  identity_source = "method.request.header.X-Session"
  authorizer_uri  = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:session/invocations"
}

resource "aws_api_gateway_resource" "me" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "me"
}

resource "aws_api_gateway_resource" "cart" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "cart"
}

resource "aws_api_gateway_resource" "catalog" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = "catalog"
}

# GET /me: Cognito, cached by the stage-wide setting, keyed on nothing but the path.
resource "aws_api_gateway_method" "me" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.me.id
  http_method   = "GET"
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.cognito.id
}

resource "aws_api_gateway_integration" "me" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.me.id
  http_method             = aws_api_gateway_method.me.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://backend.example.com/me"
}

# GET /cart: keyed on the session authorizer's identity source.
resource "aws_api_gateway_method" "cart" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.cart.id
  http_method   = "GET"
  authorization = "CUSTOM"
  authorizer_id = aws_api_gateway_authorizer.session.id
  request_parameters = {
    "method.request.header.X-Session" = true
  }
}

resource "aws_api_gateway_integration" "cart" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.cart.id
  http_method             = aws_api_gateway_method.cart.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://backend.example.com/cart"
  cache_key_parameters    = ["method.request.header.X-Session"]
}

# POST /cart: IAM, and a per-method setting turns caching on for it, keyed on a query string only.
resource "aws_api_gateway_method" "add_to_cart" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.cart.id
  http_method   = "POST"
  authorization = "AWS_IAM"
  request_parameters = {
    "method.request.querystring.sku" = true
  }
}

resource "aws_api_gateway_integration" "add_to_cart" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.cart.id
  http_method             = aws_api_gateway_method.add_to_cart.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "POST"
  uri                     = "https://backend.example.com/cart"
  cache_key_parameters    = ["method.request.querystring.sku"]
}

# GET /catalog: public, the same for everyone (not applicable).
resource "aws_api_gateway_method" "catalog" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.catalog.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "catalog" {
  rest_api_id             = aws_api_gateway_rest_api.shop.id
  resource_id             = aws_api_gateway_resource.catalog.id
  http_method             = aws_api_gateway_method.catalog.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://backend.example.com/catalog"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = aws_api_gateway_rest_api.shop.id
  deployment_id         = "abc123"
  stage_name            = "prod"
  cache_cluster_enabled = true
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    caching_enabled      = true
    cache_data_encrypted = true
  }
}

resource "aws_api_gateway_method_settings" "add_to_cart" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "cart/POST"
  settings {
    caching_enabled      = true
    cache_data_encrypted = true
  }
}

# The staging stage has no cache cluster: nothing is cached there.
resource "aws_api_gateway_stage" "staging" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  deployment_id = "abc123"
  stage_name    = "staging"
}
