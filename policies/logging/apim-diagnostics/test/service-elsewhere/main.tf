# An API added to a service defined in another configuration: its service-wide diagnostics are
# there, so whether the API is logged is unknown. Its sibling has a diagnostic of its own.
variable "apim_name" {
  type = string
}

resource "azurerm_api_management_api" "payments" {
  name                = "payments"
  resource_group_name = "rg-platform"
  api_management_name = var.apim_name
  revision            = "1"
  display_name        = "Payments"
  path                = "payments"
  protocols           = ["https"]
}

resource "azurerm_api_management_api" "refunds" {
  name                = "refunds"
  resource_group_name = "rg-platform"
  api_management_name = var.apim_name
  revision            = "1"
  display_name        = "Refunds"
  path                = "refunds"
  protocols           = ["https"]
}

resource "azurerm_api_management_api_diagnostic" "refunds" {
  identifier               = "azuremonitor"
  resource_group_name      = "rg-platform"
  api_management_name      = var.apim_name
  api_name                 = azurerm_api_management_api.refunds.name
  api_management_logger_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-platform/providers/Microsoft.ApiManagement/service/apim-platform/loggers/azuremonitor"
  sampling_percentage      = 100
}
