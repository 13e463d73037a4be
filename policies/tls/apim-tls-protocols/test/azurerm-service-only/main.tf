# A service whose APIs are deployed from another repository: none is here. Its protocols are
# checked on a stand-in at the service.
resource "azurerm_api_management" "shared" {
  name                = "apim-shared"
  location            = "westeurope"
  resource_group_name = "rg-shared"
  publisher_name      = "Platform"
  publisher_email     = "platform@example.com"
  sku_name            = "Developer_1"

  security {
    backend_tls11_enabled = true
  }
}
