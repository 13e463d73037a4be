resource "azurerm_api_management" "this" {
  name                = "apim-payments"
  location            = "westeurope"
  resource_group_name = "rg-payments"
  publisher_name      = "Payments"
  publisher_email     = "payments@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_policy" "global" {
  api_management_id = azurerm_api_management.this.id
  xml_content       = <<XML
<policies>
  <inbound>
    <validate-jwt header-name="Authorization" failed-validation-httpcode="401">
      <openid-config url="https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration" />
    </validate-jwt>
  </inbound>
</policies>
XML
}

# Keeps the global token check.
resource "azurerm_api_management_api" "payments" {
  name                  = "payments"
  resource_group_name   = "rg-payments"
  api_management_name   = azurerm_api_management.this.name
  revision              = "1"
  path                  = "payments"
  protocols             = ["https"]
  subscription_required = false
}

resource "azurerm_api_management_api_operation" "pay" {
  operation_id        = "pay"
  api_name            = azurerm_api_management_api.payments.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-payments"
  display_name        = "Pay"
  method              = "POST"
  url_template        = "/"
}

# Its own policy has no <base/>: the global token check does not run, and no key is required.
resource "azurerm_api_management_api" "refunds" {
  name                  = "refunds"
  resource_group_name   = "rg-payments"
  api_management_name   = azurerm_api_management.this.name
  revision              = "1"
  path                  = "refunds"
  protocols             = ["https"]
  subscription_required = false
}

resource "azurerm_api_management_api_operation" "refund" {
  operation_id        = "refund"
  api_name            = azurerm_api_management_api.refunds.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-payments"
  display_name        = "Refund"
  method              = "POST"
  url_template        = "/"
}

resource "azurerm_api_management_api_policy" "refunds" {
  api_name            = azurerm_api_management_api.refunds.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-payments"
  xml_content         = <<XML
<policies>
  <inbound>
    <set-header name="X-Source" exists-action="override">
      <value>apim</value>
    </set-header>
  </inbound>
</policies>
XML
}

# Its policy only caches, and has no <base/> either: the subscription key (on by default) is all that remains.
resource "azurerm_api_management_api" "statements" {
  name                = "statements"
  resource_group_name = "rg-payments"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "statements"
  protocols           = ["https"]
}

resource "azurerm_api_management_api_operation" "statement" {
  operation_id        = "statement"
  api_name            = azurerm_api_management_api.statements.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-payments"
  display_name        = "Statement"
  method              = "GET"
  url_template        = "/{month}"

  template_parameter {
    name     = "month"
    required = true
    type     = "string"
  }
}

resource "azurerm_api_management_api_policy" "statements" {
  api_name            = azurerm_api_management_api.statements.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-payments"
  xml_content         = <<XML
<policies>
  <inbound>
    <cache-lookup vary-by-developer="true" vary-by-developer-groups="false" />
  </inbound>
</policies>
XML
}
