# Authorization is logged, but hidden by data masking; nothing else of the calls' content is logged.
resource "azurerm_api_management" "hr" {
  name                = "apim-hr"
  location            = "westeurope"
  resource_group_name = "rg-hr"
  publisher_name      = "HR"
  publisher_email     = "hr@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_diagnostic" "hr" {
  identifier               = "azuremonitor"
  resource_group_name      = "rg-hr"
  api_management_name      = azurerm_api_management.hr.name
  api_management_logger_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hr/providers/Microsoft.ApiManagement/service/apim-hr/loggers/azuremonitor"
  sampling_percentage      = 100

  frontend_request {
    headers_to_log = ["Authorization", "User-Agent"]

    data_masking {
      headers {
        mode  = "Hide"
        value = "Authorization"
      }
    }
  }
}

resource "azurerm_api_management_api" "people" {
  name                = "people"
  resource_group_name = "rg-hr"
  api_management_name = azurerm_api_management.hr.name
  revision            = "1"
  display_name        = "People"
  path                = "people"
  protocols           = ["https"]
}
