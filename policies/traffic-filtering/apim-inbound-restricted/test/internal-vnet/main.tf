# The service sits in an Internal VNet, reachable only through the Application Gateway in front.
resource "azurerm_api_management" "this" {
  name                 = "apim-shop"
  location             = "westeurope"
  resource_group_name  = "rg-shop"
  publisher_name       = "Shop"
  publisher_email      = "shop@example.com"
  sku_name             = "Developer_1"
  virtual_network_type = "Internal"

  virtual_network_configuration {
    subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shop/providers/Microsoft.Network/virtualNetworks/vnet-shop/subnets/apim"
  }
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

