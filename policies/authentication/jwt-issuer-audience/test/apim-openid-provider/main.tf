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

# Documents the developer portal's sign-in only: API Management never enforces it.
resource "azurerm_api_management_openid_connect_provider" "portal" {
  name                = "portal"
  api_management_name = azurerm_api_management.main.name
  resource_group_name = azurerm_resource_group.api.name
  client_id           = "00000000-0000-0000-0000-000000000000"
  client_secret       = "not-a-real-secret"
  display_name        = "Portal sign-in"
  metadata_endpoint   = "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration"
}
