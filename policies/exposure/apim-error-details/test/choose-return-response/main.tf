# The API's on-error answers token failures itself, naming the policy that failed and why.
resource "azurerm_api_management" "this" {
  name                = "apim-bank"
  location            = "westeurope"
  resource_group_name = "rg-bank"
  publisher_name      = "Bank"
  publisher_email     = "bank@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "accounts" {
  name                  = "accounts"
  resource_group_name   = "rg-bank"
  api_management_name   = azurerm_api_management.this.name
  revision              = "1"
  path                  = "accounts"
  protocols             = ["https"]
  service_url           = "https://accounts.internal.example.com"
  subscription_required = true
}

resource "azurerm_api_management_api_operation" "balance" {
  operation_id        = "balance"
  api_name            = azurerm_api_management_api.accounts.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-bank"
  display_name        = "Balance"
  method              = "GET"
  url_template        = "/balance"
}

resource "azurerm_api_management_api_policy" "accounts" {
  api_name            = azurerm_api_management_api.accounts.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-bank"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
  </outbound>
  <on-error>
    <base />
    <choose>
      <when condition="@(context.LastError.Source == &quot;validate-jwt&quot;)">
        <return-response>
          <set-status code="401" reason="Unauthorized" />
          <set-header name="X-Error-Source" exists-action="override">
            <value>@(context.LastError.Source + ": " + context.LastError.Reason)</value>
          </set-header>
        </return-response>
      </when>
    </choose>
  </on-error>
</policies>
XML
}
