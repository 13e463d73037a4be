# A public service, no VNet, no filtering policy.
resource "azurerm_api_management" "this" {
  name                = "apim-shop"
  location            = "westeurope"
  resource_group_name = "rg-shop"
  publisher_name      = "Shop"
  publisher_email     = "shop@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "orders" {
  name                  = "orders"
  resource_group_name   = "rg-shop"
  api_management_name   = azurerm_api_management.this.name
  revision              = "1"
  path                  = "orders"
  protocols             = ["https"]
  service_url           = "https://orders.internal.example.com"
  subscription_required = true
}

resource "azurerm_api_management_api_operation" "list" {
  operation_id        = "list"
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-shop"
  display_name        = "List orders"
  method              = "GET"
  url_template        = "/orders"
}

