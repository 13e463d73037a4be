# The network type is passed in and has no value here.
variable "network_type" {
  type = string
}

resource "azurerm_api_management" "this" {
  name                = "apim-hr"
  location            = "westeurope"
  resource_group_name = "rg-hr"
  publisher_name      = "HR"
  publisher_email     = "hr@example.com"
  sku_name             = "Premium_1"
  virtual_network_type = var.network_type
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

