# The API's policy includes a fragment defined elsewhere, which may check a certificate.
resource "azurerm_api_management" "this" {
  name                = "apim-ledger"
  location            = "westeurope"
  resource_group_name = "rg-ledger"
  publisher_name      = "Ledger"
  publisher_email     = "ledger@example.com"
  sku_name            = "Consumption_0"
}

resource "azurerm_api_management_api" "ledger" {
  name                = "ledger"
  resource_group_name = "rg-ledger"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "ledger"
  protocols           = ["https"]
  service_url         = "https://ledger.example.com/api"
}

resource "azurerm_api_management_api_policy" "ledger" {
  api_name            = azurerm_api_management_api.ledger.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-ledger"

  xml_content = <<XML
<policies>
  <inbound>
    <base />
    <include-fragment fragment-id="partner-checks" />
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>
XML
}
