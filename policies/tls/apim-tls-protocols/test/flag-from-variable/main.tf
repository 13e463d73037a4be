variable "allow_tls10" {
  type = bool
}

resource "azurerm_api_management" "this" {
  name                = "apim-legacy"
  location            = "northeurope"
  resource_group_name = "rg-legacy"
  publisher_name      = "Legacy"
  publisher_email     = "legacy@example.com"
  sku_name            = "Standard_1"

  security {
    frontend_tls10_enabled = var.allow_tls10
  }
}

resource "azurerm_api_management_api" "legacy" {
  name                = "legacy"
  resource_group_name = "rg-legacy"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "legacy"
  protocols           = ["https"]
}
