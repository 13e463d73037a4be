# The service-wide diagnostic samples 0% of calls: the two APIs without a diagnostic of their own
# log nothing, one finding on the service at its sampling_percentage, naming both.
resource "azurerm_api_management" "billing" {
  name                = "apim-billing"
  location            = "westeurope"
  resource_group_name = "rg-billing"
  publisher_name      = "Billing"
  publisher_email     = "api@billing.example"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_diagnostic" "billing" {
  identifier               = "applicationinsights"
  resource_group_name      = "rg-billing"
  api_management_name      = azurerm_api_management.billing.name
  api_management_logger_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-billing/providers/Microsoft.ApiManagement/service/apim-billing/loggers/appi-billing"
  sampling_percentage      = 0
}

resource "azurerm_api_management_api" "invoices" {
  name                = "invoices"
  resource_group_name = "rg-billing"
  api_management_name = azurerm_api_management.billing.name
  revision            = "1"
  path                = "invoices"
  protocols           = ["https"]
}

resource "azurerm_api_management_api" "payments" {
  name                = "payments"
  resource_group_name = "rg-billing"
  api_management_name = azurerm_api_management.billing.name
  revision            = "1"
  path                = "payments"
  protocols           = ["https"]
}
