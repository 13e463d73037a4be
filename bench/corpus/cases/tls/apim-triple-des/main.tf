resource "azurerm_api_management" "this" {
  name                = "apim-shop"
  location            = "westeurope"
  resource_group_name = "rg-shop"
  publisher_name      = "Shop"
  publisher_email     = "shop@example.com"
  sku_name            = "Developer_1"
  security {
    tls_rsa_with_aes128_cbc_sha_ciphers_enabled = false
    triple_des_ciphers_enabled                  = true
  }
}
