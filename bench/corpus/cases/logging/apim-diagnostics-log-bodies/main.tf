resource "azurerm_api_management" "this" {
  name                = "apim-hr"
  location            = "westeurope"
  resource_group_name = "rg-hr"
  publisher_name      = "HR"
  publisher_email     = "hr@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "people" {
  name                = "people"
  resource_group_name = "rg-hr"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "people"
  protocols           = ["https"]
  service_url         = "https://people.internal.example.com"
}

resource "azurerm_api_management_api_operation" "list" {
  operation_id        = "list-people"
  api_name            = azurerm_api_management_api.people.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-hr"
  display_name        = "List people"
  method              = "GET"
  url_template        = "/"
}

resource "azurerm_application_insights" "hr" {
  name                = "appi-hr"
  location            = "westeurope"
  resource_group_name = "rg-hr"
  application_type    = "web"
}

resource "azurerm_api_management_logger" "appi" {
  name                = "appi"
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-hr"
  application_insights {
    connection_string = azurerm_application_insights.hr.connection_string
  }
}

resource "azurerm_api_management_api_diagnostic" "people" {
  identifier               = "applicationinsights"
  resource_group_name      = "rg-hr"
  api_management_name      = azurerm_api_management.this.name
  api_name                 = azurerm_api_management_api.people.name
  api_management_logger_id = azurerm_api_management_logger.appi.id
  sampling_percentage      = 100
  always_log_errors        = true
  verbosity                = "information"
  frontend_request {
    body_bytes     = 8192
    headers_to_log = ["Authorization", "Content-Type"]
  }
}
