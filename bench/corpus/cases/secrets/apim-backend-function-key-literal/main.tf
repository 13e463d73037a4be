resource "azurerm_api_management" "this" {
  name                = "apim-partner"
  location            = "westeurope"
  resource_group_name = "rg-partner"
  publisher_name      = "Partner"
  publisher_email     = "partner@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_backend" "functions" {
  name                = "functions"
  resource_group_name = "rg-partner"
  api_management_name = azurerm_api_management.this.name
  protocol            = "http"
  url                 = "https://partner-fn.azurewebsites.net/api"
  credentials {
    header = {
      "x-functions-key" = "FAKEfunctionsHostKeyFAKEFAKE0001=="
    }
  }
}
