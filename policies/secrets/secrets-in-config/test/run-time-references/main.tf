# Credentials the gateway reads at run time: the caller's own Authorization header forwarded to the
# backend, and an API Management backend header from a Key Vault-backed named value. The gateway's
# configuration holds no credential, so nothing is reported.
resource "aws_apigatewayv2_api" "partner" {
  name          = "partner"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "partner" {
  api_id             = aws_apigatewayv2_api.partner.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = "https://partner.example.com"
  request_parameters = {
    "overwrite:header.Authorization" = "$request.header.Authorization"
  }
}

resource "azurerm_resource_group" "api" {
  name     = "api"
  location = "westeurope"
}

resource "azurerm_api_management" "main" {
  name                = "contoso-apim"
  location            = azurerm_resource_group.api.location
  resource_group_name = azurerm_resource_group.api.name
  publisher_name      = "Contoso"
  publisher_email     = "api@contoso.example"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_named_value" "partner_key" {
  name                = "partner-key"
  resource_group_name = azurerm_resource_group.api.name
  api_management_name = azurerm_api_management.main.name
  display_name        = "partner-key"
  secret              = true
  value_from_key_vault {
    secret_id = "https://contoso-kv.vault.azure.net/secrets/partner-key"
  }
}

resource "azurerm_api_management_backend" "partner" {
  name                = "partner"
  resource_group_name = azurerm_resource_group.api.name
  api_management_name = azurerm_api_management.main.name
  protocol            = "http"
  url                 = "https://partner.example.com"
  credentials {
    header = {
      "x-api-key" = "{{partner-key}}"
    }
  }
}
