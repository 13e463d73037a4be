# No policy at all: the backend's headers reach the caller.
resource "azurerm_api_management" "this" {
  name                = "apim-travel"
  location            = "westeurope"
  resource_group_name = "rg-travel"
  publisher_name      = "Travel"
  publisher_email     = "travel@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "bookings" {
  name                  = "bookings"
  resource_group_name   = "rg-travel"
  api_management_name   = azurerm_api_management.this.name
  revision              = "1"
  path                  = "bookings"
  protocols             = ["https"]
  service_url           = "https://bookings.internal.example.com"
  subscription_required = true
}

