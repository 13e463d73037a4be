resource "azurerm_api_management" "this" {
  name                = "apim-partners"
  location            = "westeurope"
  resource_group_name = "rg-partners"
  publisher_name      = "Partners"
  publisher_email     = "partners@example.com"
  sku_name            = "Developer_1"
}

# Holds a header name: not a key, though its name says "key".
resource "azurerm_api_management_named_value" "provider_key_header" {
  name                = "provider-key-header"
  resource_group_name = "rg-partners"
  api_management_name = azurerm_api_management.this.name
  display_name        = "provider-key-header"
  value               = "X-Provider-Key"
}

# Shaped like a generated key, written here.
resource "azurerm_api_management_named_value" "partner_token" {
  name                = "partner-token"
  resource_group_name = "rg-partners"
  api_management_name = azurerm_api_management.this.name
  display_name        = "partner-token"
  value               = "Hq4vT9bWz2XkLp7RmN3cYf8sJd6GaE1u"
}

# Readable, but the policy sends it as the backend's API key.
resource "azurerm_api_management_named_value" "backend_key" {
  name                = "backend-key"
  resource_group_name = "rg-partners"
  api_management_name = azurerm_api_management.this.name
  display_name        = "backend-key"
  value               = "FAKEbackendKEYwrittenHERE000002"
}

# Read from Key Vault: not written in the code.
resource "azurerm_api_management_named_value" "erp_secret" {
  name                = "erp-secret"
  resource_group_name = "rg-partners"
  api_management_name = azurerm_api_management.this.name
  display_name        = "erp-secret"
  secret              = true

  value_from_key_vault {
    secret_id = "https://kv-partners.vault.azure.net/secrets/erp-secret"
  }
}

resource "azurerm_api_management_api" "partners" {
  name                = "partners"
  resource_group_name = "rg-partners"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "partners"
  protocols           = ["https"]
}

resource "azurerm_api_management_api_policy" "partners" {
  api_name            = azurerm_api_management_api.partners.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-partners"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <set-header name="x-api-key" exists-action="override">
      <value>{{backend-key}}</value>
    </set-header>
    <set-header name="X-Erp-Token" exists-action="override">
      <value>{{erp-secret}}</value>
    </set-header>
    <set-header name="X-Forwarded-Key-Header" exists-action="override">
      <value>{{provider-key-header}}</value>
    </set-header>
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
  </outbound>
  <on-error>
    <base />
  </on-error>
</policies>
XML
}
