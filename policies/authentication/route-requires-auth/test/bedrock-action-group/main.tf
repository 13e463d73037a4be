# A Bedrock agent for the support desk: its action groups describe the tools the agent may call with
# OpenAPI schemas, served by Lambda functions the agent invokes, not by an API gateway.
resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support-desk"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-5-sonnet-20240620-v1:0"
  instruction             = "You help customers track their orders and request refunds. Always confirm the order number before acting."
  idle_session_ttl_in_seconds = 600
}

resource "aws_iam_role" "agent" {
  name = "support-desk-agent"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "bedrock.amazonaws.com" }
    }]
  })
}

resource "aws_bedrockagent_agent_action_group" "orders" {
  action_group_name          = "orders"
  agent_id                   = aws_bedrockagent_agent.support.agent_id
  agent_version              = "DRAFT"
  skip_resource_in_use_check = true
  action_group_executor {
    lambda = "arn:aws:lambda:eu-west-1:123456789012:function:support-orders-actions"
  }
  api_schema {
    payload = file("${path.module}/schemas/orders-actions.yaml")
  }
}

resource "aws_s3_bucket" "schemas" {
  bucket = "support-desk-agent-schemas"
}

resource "aws_s3_object" "refunds_schema" {
  bucket = aws_s3_bucket.schemas.id
  key    = "action-groups/refunds-actions.json"
  source = "${path.module}/schemas/refunds-actions.json"
  etag   = filemd5("${path.module}/schemas/refunds-actions.json")
}

resource "aws_bedrockagent_agent_action_group" "refunds" {
  action_group_name = "refunds"
  agent_id          = aws_bedrockagent_agent.support.agent_id
  agent_version     = "DRAFT"
  action_group_executor {
    custom_control = "RETURN_CONTROL"
  }
  api_schema {
    s3 {
      s3_bucket_name = aws_s3_bucket.schemas.bucket
      s3_object_key  = aws_s3_object.refunds_schema.key
    }
  }
}

resource "aws_bedrockagent_agent_action_group" "faq" {
  action_group_name = "faq"
  agent_id          = aws_bedrockagent_agent.support.agent_id
  agent_version     = "DRAFT"
  action_group_executor {
    lambda = "arn:aws:lambda:eu-west-1:123456789012:function:support-faq-actions"
  }
  api_schema {
    payload = <<-EOT
      openapi: 3.0.0
      info:
        title: FAQ lookup
        version: 1.0.0
      paths:
        /faq/search:
          get:
            operationId: searchFaq
            description: Finds the help-centre articles that answer a customer's question.
            parameters:
              - name: query
                in: query
                required: true
                schema:
                  type: string
            responses:
              "200":
                description: Matching articles.
    EOT
  }
}
