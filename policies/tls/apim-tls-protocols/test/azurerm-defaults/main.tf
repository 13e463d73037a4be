# No security block: azurerm leaves every legacy protocol and cipher disabled.
resource "azurerm_api_management" "this" {
  name                = "apim-search"
  location            = "northeurope"
  resource_group_name = "rg-search"
  publisher_name      = "Search"
  publisher_email     = "search@example.com"
  sku_name            = "Standard_1"
}

resource "azurerm_api_management_api" "search" {
  name                = "search"
  resource_group_name = "rg-search"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "search"
  protocols           = ["https"]
}

# An API of a service managed elsewhere: its protocols are not in this configuration.
resource "azurerm_api_management_api" "elsewhere" {
  name                = "reports"
  resource_group_name = "rg-platform"
  api_management_name = "apim-platform"
  revision            = "1"
  path                = "reports"
  protocols           = ["https"]
}
