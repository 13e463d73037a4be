# An API Management custom domain: its TLS versions are the service's (apim-tls-protocols).
resource "azurerm_api_management" "shop" {
  name                = "apim-shop"
  location            = "westeurope"
  resource_group_name = "rg-shop"
  publisher_name      = "Shop"
  publisher_email     = "api@shop.example.com"
  sku_name            = "Developer_1"

  hostname_configuration {
    proxy {
      host_name    = "api.shop.example.com"
      key_vault_id = "https://kv-shop.vault.azure.net/secrets/api-cert"
    }
  }

  security {
    frontend_tls10_enabled = true
  }
}
