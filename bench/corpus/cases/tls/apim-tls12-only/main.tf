resource "azurerm_api_management" "this" {
  name                = "apim-shop"
  location            = "westeurope"
  resource_group_name = "rg-shop"
  publisher_name      = "Shop"
  publisher_email     = "shop@example.com"
  sku_name            = "Developer_1"
  security {
    enable_frontend_tls10 = false
    enable_frontend_tls11 = false
    enable_backend_tls10  = false
    enable_backend_tls11  = false
    enable_backend_ssl30  = false
  }
}
