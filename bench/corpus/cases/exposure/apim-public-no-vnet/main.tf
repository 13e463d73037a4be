resource "azurerm_api_management" "this" {
  name                = "apim-billing"
  location            = "westeurope"
  resource_group_name = "rg-billing"
  publisher_name      = "Billing"
  publisher_email     = "billing@example.com"
  sku_name            = "Premium_1"
  public_network_access_enabled = true
}

resource "azurerm_api_management_api" "billing" {
  name                = "billing"
  resource_group_name = "rg-billing"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "billing"
  protocols           = ["https"]
  service_url         = "https://billing.internal.example.com"
}
