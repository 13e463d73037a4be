# The service sends its gateway logs to Log Analytics through an Azure Monitor diagnostic setting.
resource "azurerm_api_management" "billing" {
  name                = "apim-billing"
  location            = "westeurope"
  resource_group_name = "rg-billing"
  publisher_name      = "Billing"
  publisher_email     = "billing@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_log_analytics_workspace" "billing" {
  name                = "log-billing"
  location            = "westeurope"
  resource_group_name = "rg-billing"
}

resource "azurerm_monitor_diagnostic_setting" "billing" {
  name                       = "gateway-logs"
  target_resource_id         = azurerm_api_management.billing.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.billing.id

  enabled_log {
    category = "GatewayLogs"
  }
}

resource "azurerm_api_management_api" "invoices" {
  name                = "invoices"
  resource_group_name = "rg-billing"
  api_management_name = azurerm_api_management.billing.name
  revision            = "1"
  display_name        = "Invoices"
  path                = "invoices"
  protocols           = ["https"]
}
