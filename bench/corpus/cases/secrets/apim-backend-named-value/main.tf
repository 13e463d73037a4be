resource "azurerm_api_management" "this" {
  name                = "apim-partner"
  location            = "westeurope"
  resource_group_name = "rg-partner"
  publisher_name      = "Partner"
  publisher_email     = "partner@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_named_value" "functions_key" {
  name                = "functions-key"
  resource_group_name = "rg-partner"
  api_management_name = azurerm_api_management.this.name
  display_name        = "functions-key"
  secret              = true
  value_from_key_vault {
    secret_id = "https://kv-partner.vault.azure.net/secrets/functions-key"
  }
}

resource "azurerm_api_management_backend" "functions" {
  name                = "functions"
  resource_group_name = "rg-partner"
  api_management_name = azurerm_api_management.this.name
  protocol            = "http"
  url                 = "https://partner-fn.azurewebsites.net/api"
  credentials {
    header = {
      "x-functions-key" = "{{functions-key}}"
    }
  }
}
