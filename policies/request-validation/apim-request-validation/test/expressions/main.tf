resource "azurerm_api_management" "this" {
  name                = "apim-files"
  location            = "westeurope"
  resource_group_name = "rg-files"
  publisher_name      = "Files"
  publisher_email     = "files@example.com"
  sku_name            = "Developer_1"
}

# The API policy validates bodies for POST only (decided per operation by the method), and
# validates parameters with an action computed per request (unknown).
resource "azurerm_api_management_api" "files" {
  name                = "files"
  resource_group_name = "rg-files"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "files"
  protocols           = ["https"]
}

resource "azurerm_api_management_api_policy" "files" {
  api_name            = azurerm_api_management_api.files.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-files"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <choose>
      <when condition="@(context.Request.Method == "POST")">
        <validate-content unspecified-content-type-action="prevent" max-size="1048576" size-exceeded-action="prevent" />
      </when>
    </choose>
    <validate-parameters specified-parameter-action="@(context.Deployment.Region == "westeurope" ? "prevent" : "detect")" unspecified-parameter-action="ignore" />
  </inbound>
</policies>
XML
}

# POST: the <choose> on the method runs validate-content for it. Passes.
resource "azurerm_api_management_api_operation" "upload" {
  operation_id        = "upload"
  api_name            = azurerm_api_management_api.files.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-files"
  display_name        = "Upload"
  method              = "POST"
  url_template        = "/"
}

# PUT: the branch does not run for it: a finding.
resource "azurerm_api_management_api_operation" "overwrite" {
  operation_id        = "overwrite"
  api_name            = azurerm_api_management_api.files.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-files"
  display_name        = "Overwrite"
  method              = "PUT"
  url_template        = "/{name}"
}

# GET with a required header: validate-parameters' action is an expression: unknown.
resource "azurerm_api_management_api_operation" "download" {
  operation_id        = "download"
  api_name            = azurerm_api_management_api.files.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-files"
  display_name        = "Download"
  method              = "GET"
  url_template        = "/{name}"
  request {
    header {
      name     = "X-Tenant"
      required = true
      type     = "string"
    }
  }
}
