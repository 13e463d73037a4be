resource "azurerm_api_management" "this" {
  name                = "apim-billing"
  location            = "westeurope"
  resource_group_name = "rg-billing"
  publisher_name      = "Billing"
  publisher_email     = "billing@example.com"
  sku_name            = "Premium_1"
  virtual_network_type = "Internal"
  virtual_network_configuration {
    subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-billing/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apim"
  }
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
