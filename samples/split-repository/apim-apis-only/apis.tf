# Orders: APIOps publishes the operations from the OpenAPI file at deployment; none is written here.
resource "azurerm_api_management_api" "orders" {
  name                  = "orders"
  resource_group_name   = local.resource_group
  api_management_name   = local.apim_name
  revision              = "1"
  display_name          = "Orders"
  path                  = "orders"
  protocols             = ["https"]
  service_url           = "https://orders.internal.shop.example.com"
  subscription_required = false
}

resource "azurerm_api_management_api_policy" "orders" {
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = local.apim_name
  resource_group_name = local.resource_group
  xml_content         = file("${path.module}/policies/orders.xml")
}

# Payments: its own policy validates Entra ID tokens.
resource "azurerm_api_management_api" "payments" {
  name                  = "payments"
  resource_group_name   = local.resource_group
  api_management_name   = local.apim_name
  revision              = "1"
  display_name          = "Payments"
  path                  = "payments"
  protocols             = ["https"]
  service_url           = "https://payments.internal.shop.example.com"
  subscription_required = false
}

resource "azurerm_api_management_api_policy" "payments" {
  api_name            = azurerm_api_management_api.payments.name
  api_management_name = local.apim_name
  resource_group_name = local.resource_group
  xml_content         = file("${path.module}/policies/payments.xml")
}

# Partner statements: one operation, behind HTTP basic authentication.
resource "azurerm_api_management_api" "partners" {
  name                  = "partners"
  resource_group_name   = local.resource_group
  api_management_name   = local.apim_name
  revision              = "1"
  display_name          = "Partner statements"
  path                  = "partners"
  protocols             = ["https"]
  service_url           = "https://statements.internal.shop.example.com"
  subscription_required = false
}

resource "azurerm_api_management_api_operation" "monthly_statement" {
  operation_id        = "monthly-statement"
  api_name            = azurerm_api_management_api.partners.name
  api_management_name = local.apim_name
  resource_group_name = local.resource_group
  display_name        = "Monthly statement"
  method              = "GET"
  url_template        = "/statements/{month}"

  template_parameter {
    name     = "month"
    type     = "string"
    required = true
  }
}

resource "azurerm_api_management_api_policy" "partners" {
  api_name            = azurerm_api_management_api.partners.name
  api_management_name = local.apim_name
  resource_group_name = local.resource_group
  xml_content         = file("${path.module}/policies/partners.xml")
}
