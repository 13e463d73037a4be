# A Consumption service that does not ask for client certificates, with an API that validates them.
resource "azurerm_api_management" "this" {
  name                = "apim-partners"
  location            = "westeurope"
  resource_group_name = "rg-partners"
  publisher_name      = "Partners"
  publisher_email     = "partners@example.com"
  sku_name            = "Consumption_0"
}

resource "azurerm_api_management_api" "partners" {
  name                = "partners"
  resource_group_name = "rg-partners"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "partners"
  protocols           = ["https"]
  service_url         = "https://partners.example.com/api"
}

resource "azurerm_api_management_api_policy" "partners" {
  api_name            = azurerm_api_management_api.partners.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-partners"

  xml_content = <<XML
<policies>
  <inbound>
    <base />
    <validate-client-certificate validate-revocation="true" validate-trust="true" validate-not-before="true" validate-not-after="true" ignore-error="false">
      <identities>
        <identity issuer-subject="CN=Partner CA" />
      </identities>
    </validate-client-certificate>
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>
XML
}
