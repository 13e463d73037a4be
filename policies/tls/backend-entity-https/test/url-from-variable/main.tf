# The url comes from a variable without a value: the plan or --var decides.
variable "ledger_url" {
  type = string
}

resource "azurerm_api_management" "this" {
  name                = "apim-ledger"
  location            = "westeurope"
  resource_group_name = "rg-ledger"
  publisher_name      = "Ledger"
  publisher_email     = "ledger@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_backend" "ledger" {
  name                = "ledger"
  resource_group_name = "rg-ledger"
  api_management_name = azurerm_api_management.this.name
  protocol            = "http"
  url                 = var.ledger_url
}
