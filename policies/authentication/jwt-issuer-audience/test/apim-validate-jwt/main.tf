resource "azurerm_resource_group" "api" {
  name     = "api"
  location = "westeurope"
}

resource "azurerm_api_management" "main" {
  name                = "contoso-apim"
  location            = azurerm_resource_group.api.location
  resource_group_name = azurerm_resource_group.api.name
  publisher_name      = "Contoso"
  publisher_email     = "api@contoso.example"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "orders" {
  name                  = "orders"
  resource_group_name   = azurerm_resource_group.api.name
  api_management_name   = azurerm_api_management.main.name
  revision              = "1"
  display_name          = "Orders"
  path                  = "orders"
  protocols             = ["https"]
  subscription_required = false
}

# Any token the tenant signs, for any application.
resource "azurerm_api_management_api_policy" "orders" {
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.main.name
  resource_group_name = azurerm_resource_group.api.name
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" failed-validation-httpcode="401">
      <openid-config url="https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration" />
    </validate-jwt>
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>
XML
}

resource "azurerm_api_management_api" "billing" {
  name                  = "billing"
  resource_group_name   = azurerm_resource_group.api.name
  api_management_name   = azurerm_api_management.main.name
  revision              = "1"
  display_name          = "Billing"
  path                  = "billing"
  protocols             = ["https"]
  subscription_required = false
}

# Unsigned tokens are accepted: anyone can write one.
resource "azurerm_api_management_api_policy" "billing" {
  api_name            = azurerm_api_management_api.billing.name
  api_management_name = azurerm_api_management.main.name
  resource_group_name = azurerm_resource_group.api.name
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" require-signed-tokens="false">
      <audiences>
        <audience>api://billing</audience>
      </audiences>
      <issuers>
        <issuer>https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0</issuer>
      </issuers>
    </validate-jwt>
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>
XML
}

resource "azurerm_api_management_api" "payments" {
  name                  = "payments"
  resource_group_name   = azurerm_resource_group.api.name
  api_management_name   = azurerm_api_management.main.name
  revision              = "1"
  display_name          = "Payments"
  path                  = "payments"
  protocols             = ["https"]
  subscription_required = false
}

resource "azurerm_api_management_api_policy" "payments" {
  api_name            = azurerm_api_management_api.payments.name
  api_management_name = azurerm_api_management.main.name
  resource_group_name = azurerm_resource_group.api.name
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization">
      <openid-config url="https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration" />
      <audiences>
        <audience>api://payments</audience>
      </audiences>
    </validate-jwt>
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>
XML
}
