# azurerm v3 names: SSL 3.0 towards a legacy backend, and Triple DES.
resource "azurerm_api_management" "mainframe" {
  name                = "apim-mainframe"
  location            = "westeurope"
  resource_group_name = "rg-core"
  publisher_name      = "Core"
  publisher_email     = "api@core.example.com"
  sku_name            = "Premium_1"

  security {
    enable_backend_ssl30      = true
    enable_triple_des_ciphers = true
  }
}

resource "azurerm_api_management_api" "accounts" {
  name                = "accounts"
  resource_group_name = "rg-core"
  api_management_name = azurerm_api_management.mainframe.name
  revision            = "1"
  path                = "accounts"
  protocols           = ["https"]
}
