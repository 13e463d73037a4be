# A Consumption service that does not ask for client certificates, and no policy checks one:
# nothing relies on a certificate (Checkov's CKV_AZURE_152 reports it; gatewarden does not).
resource "azurerm_api_management" "this" {
  name                = "apim-catalog"
  location            = "westeurope"
  resource_group_name = "rg-catalog"
  publisher_name      = "Catalog"
  publisher_email     = "catalog@example.com"
  sku_name            = "Consumption_0"

  client_certificate_enabled = false
}

resource "azurerm_api_management_api" "catalog" {
  name                = "catalog"
  resource_group_name = "rg-catalog"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "catalog"
  protocols           = ["https"]
  service_url         = "https://catalog.example.com/api"
}
