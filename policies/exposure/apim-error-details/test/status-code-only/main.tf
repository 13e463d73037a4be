# Details go to the trace; the caller gets the status code and the request id only.
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

resource "azurerm_api_management_policy" "global" {
  api_management_id = azurerm_api_management.this.id
  xml_content       = <<XML
<policies>
  <inbound />
  <backend>
    <forward-request />
  </backend>
  <outbound />
  <on-error>
    <trace source="on-error" severity="error">
      <message>@(context.LastError.Source + " " + context.LastError.Reason + " " + context.LastError.Message)</message>
    </trace>
    <set-body>@(new JObject(new JProperty("status", context.LastError.StatusCode), new JProperty("requestId", context.RequestId)).ToString())</set-body>
  </on-error>
</policies>
XML
}
