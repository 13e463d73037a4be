# In an Internal virtual network, published through an Application Gateway.
resource "azurerm_api_management" "this" {
  name                = "apim-hr"
  location            = "westeurope"
  resource_group_name = "rg-hr"
  publisher_name      = "HR"
  publisher_email     = "hr@example.com"
  sku_name             = "Premium_1"
  virtual_network_type = "Internal"

  virtual_network_configuration {
    subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hr/providers/Microsoft.Network/virtualNetworks/vnet-hr/subnets/apim"
  }
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

