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

resource "azurerm_api_management_backend" "partner" {
  name                = "partner"
  resource_group_name = azurerm_resource_group.api.name
  api_management_name = azurerm_api_management.main.name
  protocol            = "http"
  url                 = "https://partner.example.com"
  credentials {
    header = {
      "x-api-key" = "FAKEapimBackendHeaderKey01"
      "x-region"  = "westeurope"
    }
    query = {
      "code" = "{{partner-code}}"
    }
    authorization {
      scheme    = "Basic"
      parameter = "FAKEapimBasicCredential01"
    }
  }
}
