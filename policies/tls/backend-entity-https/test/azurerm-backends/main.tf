# Three backends: one a scanned operation calls (backend-https reports it on the route), one no
# policy here names (its APIs are deployed from another repository) and one over HTTPS.
resource "azurerm_api_management" "this" {
  name                = "apim-billing"
  location            = "westeurope"
  resource_group_name = "rg-billing"
  publisher_name      = "Billing"
  publisher_email     = "billing@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_backend" "invoices" {
  name                = "invoices"
  resource_group_name = "rg-billing"
  api_management_name = azurerm_api_management.this.name
  protocol            = "http"
  url                 = "http://invoices.internal.example.com/api"
}

resource "azurerm_api_management_backend" "legacy" {
  name                = "legacy-ledger"
  resource_group_name = "rg-billing"
  api_management_name = azurerm_api_management.this.name
  protocol            = "http"
  url                 = "http://ledger.internal.example.com/api"
}

resource "azurerm_api_management_backend" "payments" {
  name                = "payments"
  resource_group_name = "rg-billing"
  api_management_name = azurerm_api_management.this.name
  protocol            = "http"
  url                 = "https://payments.example.com/api"
}

resource "azurerm_api_management_api" "invoices" {
  name                = "invoices"
  resource_group_name = "rg-billing"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "invoices"
  protocols           = ["https"]
}

resource "azurerm_api_management_api_operation" "list" {
  operation_id        = "list"
  api_name            = azurerm_api_management_api.invoices.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-billing"
  display_name        = "List invoices"
  method              = "GET"
  url_template        = "/invoices"
}

resource "azurerm_api_management_api_policy" "invoices" {
  api_name            = azurerm_api_management_api.invoices.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-billing"

  xml_content = <<XML
<policies>
  <inbound>
    <base />
    <set-backend-service backend-id="invoices" />
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>
XML
}
