# Reached only through a private endpoint: public network access is off.
resource "azurerm_api_management" "this" {
  name                = "apim-hr"
  location            = "westeurope"
  resource_group_name = "rg-hr"
  publisher_name      = "HR"
  publisher_email     = "hr@example.com"
  sku_name            = "Premium_1"
  public_network_access_enabled = false
}

resource "azurerm_api_management_api" "people" {
  name                  = "people"
  resource_group_name   = "rg-hr"
  api_management_name   = azurerm_api_management.this.name
  revision              = "1"
  path                  = "people"
  protocols             = ["https"]
  service_url           = "https://people.internal.example.com"
  subscription_required = true
}

