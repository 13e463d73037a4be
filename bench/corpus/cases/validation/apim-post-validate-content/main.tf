resource "azurerm_api_management" "this" {
  name                = "apim-claims"
  location            = "westeurope"
  resource_group_name = "rg-claims"
  publisher_name      = "Claims"
  publisher_email     = "claims@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "claims" {
  name                = "claims"
  resource_group_name = "rg-claims"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "claims"
  protocols           = ["https"]
  service_url         = "https://claims.internal.example.com"
}

resource "azurerm_api_management_api_schema" "claim" {
  api_name            = azurerm_api_management_api.claims.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-claims"
  schema_id           = "claim"
  content_type        = "application/vnd.oai.openapi.components+json"
  components = jsonencode({ schemas = { Claim = { type = "object", required = ["policyId"], properties = { policyId = { type = "string" } } } } })
}

resource "azurerm_api_management_api_operation" "submit" {
  operation_id        = "submit-claim"
  api_name            = azurerm_api_management_api.claims.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-claims"
  display_name        = "Submit claim"
  method              = "POST"
  url_template        = "/"
  request {
    representation {
      content_type = "application/json"
      schema_id    = azurerm_api_management_api_schema.claim.schema_id
      type_name    = "Claim"
    }
  }
}

resource "azurerm_api_management_api_policy" "claims" {
  api_name            = azurerm_api_management_api.claims.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-claims"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <validate-content unspecified-content-type-action="prevent" max-size="102400" size-exceeded-action="prevent" errors-variable-name="bodyErrors">
      <content type="application/json" validate-as="json" action="prevent" />
    </validate-content>
  </inbound>
</policies>
XML
}
