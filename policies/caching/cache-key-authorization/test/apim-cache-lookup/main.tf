resource "azurerm_api_management" "this" {
  name                = "apim-accounts"
  location            = "westeurope"
  resource_group_name = "rg-accounts"
  publisher_name      = "Accounts"
  publisher_email     = "accounts@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "accounts" {
  name                  = "accounts"
  resource_group_name   = "rg-accounts"
  api_management_name   = azurerm_api_management.this.name
  revision              = "1"
  path                  = "accounts"
  protocols             = ["https"]
  subscription_required = false
}

# The API checks a token from the Authorization header and lets private responses be cached.
resource "azurerm_api_management_api_policy" "accounts" {
  api_name            = azurerm_api_management_api.accounts.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-accounts"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" failed-validation-httpcode="401">
      <openid-config url="https://login.microsoftonline.com/accounts.example/v2.0/.well-known/openid-configuration" />
    </validate-jwt>
  </inbound>
</policies>
XML
}

# Cached privately, keyed on nothing of the caller: a finding, at the cache-lookup.
resource "azurerm_api_management_api_operation" "balance" {
  operation_id        = "balance"
  api_name            = azurerm_api_management_api.accounts.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-accounts"
  display_name        = "Balance"
  method              = "GET"
  url_template        = "/balance"
}

resource "azurerm_api_management_api_operation_policy" "balance" {
  api_name            = azurerm_api_management_api.accounts.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-accounts"
  operation_id        = azurerm_api_management_api_operation.balance.operation_id
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <cache-lookup vary-by-developer="false" vary-by-developer-groups="false" allow-private-response-caching="true">
      <vary-by-header>Accept</vary-by-header>
    </cache-lookup>
  </inbound>
  <outbound>
    <cache-store duration="300" />
    <base />
  </outbound>
</policies>
XML
}

# Keyed on the Authorization header: passes.
resource "azurerm_api_management_api_operation" "statements" {
  operation_id        = "statements"
  api_name            = azurerm_api_management_api.accounts.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-accounts"
  display_name        = "Statements"
  method              = "GET"
  url_template        = "/statements"
}

resource "azurerm_api_management_api_operation_policy" "statements" {
  api_name            = azurerm_api_management_api.accounts.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-accounts"
  operation_id        = azurerm_api_management_api_operation.statements.operation_id
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <cache-lookup vary-by-developer="false" vary-by-developer-groups="false" allow-private-response-caching="true">
      <vary-by-header>Authorization</vary-by-header>
    </cache-lookup>
  </inbound>
  <outbound>
    <cache-store duration="300" />
    <base />
  </outbound>
</policies>
XML
}

# Private caching left off: requests with the token are never cached. Not applicable.
resource "azurerm_api_management_api_operation" "rates" {
  operation_id        = "rates"
  api_name            = azurerm_api_management_api.accounts.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-accounts"
  display_name        = "Rates"
  method              = "GET"
  url_template        = "/rates"
}

resource "azurerm_api_management_api_operation_policy" "rates" {
  api_name            = azurerm_api_management_api.accounts.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-accounts"
  operation_id        = azurerm_api_management_api_operation.rates.operation_id
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <cache-lookup vary-by-developer="false" vary-by-developer-groups="false" />
  </inbound>
  <outbound>
    <cache-store duration="3600" />
    <base />
  </outbound>
</policies>
XML
}

# Private caching decided by an expression: unknown.
resource "azurerm_api_management_api_operation" "limits" {
  operation_id        = "limits"
  api_name            = azurerm_api_management_api.accounts.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-accounts"
  display_name        = "Limits"
  method              = "GET"
  url_template        = "/limits"
}

resource "azurerm_api_management_api_operation_policy" "limits" {
  api_name            = azurerm_api_management_api.accounts.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-accounts"
  operation_id        = azurerm_api_management_api_operation.limits.operation_id
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <cache-lookup vary-by-developer="false" allow-private-response-caching="@(context.Request.Headers.ContainsKey("X-Cacheable"))" />
  </inbound>
</policies>
XML
}
