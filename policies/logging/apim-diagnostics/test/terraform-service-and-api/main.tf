# The shop service logs every API to Application Insights, except legacy, whose own diagnostic
# samples 0% of calls. The internal service has no diagnostic at all.
resource "azurerm_api_management" "shop" {
  name                = "apim-shop"
  location            = "westeurope"
  resource_group_name = "rg-shop"
  publisher_name      = "Shop"
  publisher_email     = "api@shop.example"
  sku_name            = "Developer_1"
}

resource "azurerm_application_insights" "shop" {
  name                = "appi-shop"
  location            = "westeurope"
  resource_group_name = "rg-shop"
  application_type    = "web"
}

resource "azurerm_api_management_logger" "shop" {
  name                = "appi-shop"
  api_management_name = azurerm_api_management.shop.name
  resource_group_name = "rg-shop"

  application_insights {
    instrumentation_key = azurerm_application_insights.shop.instrumentation_key
  }
}

resource "azurerm_api_management_diagnostic" "shop" {
  identifier               = "applicationinsights"
  resource_group_name      = "rg-shop"
  api_management_name      = azurerm_api_management.shop.name
  api_management_logger_id = azurerm_api_management_logger.shop.id
  sampling_percentage      = 25
  always_log_errors        = true
  log_client_ip            = true
}

resource "azurerm_api_management_api" "orders" {
  name                = "orders"
  resource_group_name = "rg-shop"
  api_management_name = azurerm_api_management.shop.name
  revision            = "1"
  display_name        = "Orders"
  path                = "orders"
  protocols           = ["https"]
}

resource "azurerm_api_management_api" "legacy" {
  name                = "legacy"
  resource_group_name = "rg-shop"
  api_management_name = azurerm_api_management.shop.name
  revision            = "1"
  display_name        = "Legacy"
  path                = "legacy"
  protocols           = ["https"]
}

resource "azurerm_api_management_api_diagnostic" "legacy" {
  identifier               = "applicationinsights"
  resource_group_name      = "rg-shop"
  api_management_name      = azurerm_api_management.shop.name
  api_name                 = azurerm_api_management_api.legacy.name
  api_management_logger_id = azurerm_api_management_logger.shop.id
  sampling_percentage      = 0
}

resource "azurerm_api_management" "internal" {
  name                = "apim-internal"
  location            = "westeurope"
  resource_group_name = "rg-shop"
  publisher_name      = "Shop"
  publisher_email     = "api@shop.example"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "hr" {
  name                = "hr"
  resource_group_name = "rg-shop"
  api_management_name = azurerm_api_management.internal.name
  revision            = "1"
  display_name        = "HR"
  path                = "hr"
  protocols           = ["https"]
}
