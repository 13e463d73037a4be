# Every backend is reached over HTTPS.
resource "azurerm_api_management" "this" {
  name                = "apim-orders"
  location            = "westeurope"
  resource_group_name = "rg-orders"
  publisher_name      = "Orders"
  publisher_email     = "orders@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_backend" "orders" {
  name                = "orders"
  resource_group_name = "rg-orders"
  api_management_name = azurerm_api_management.this.name
  protocol            = "http"
  url                 = "https://orders.example.com/api"
}
