resource "azurerm_api_management" "this" {
  name                = "apim-billing"
  location            = "westeurope"
  resource_group_name = "rg-billing"
  publisher_name      = "Billing"
  publisher_email     = "billing@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_subscription" "partner" {
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-billing"
  display_name        = "Partner"
  state               = "active"
  primary_key         = "FAKEpartnerPRIMARYkeyFAKE000001"
}
