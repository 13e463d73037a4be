import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The line of route `r<index>`'s block in the file {@link writeManyRoutes} writes. */
export const routeLine = (index: number): number => 15 + 5 * index;

/**
 * Writes a Terraform HTTP API with `count` routes (`GET /items/<i>`, and `GET /admin/<i>` for every
 * fiftieth) and a throttled stage, none of them authenticated, into a new temporary directory.
 * Every built-in policy decides every route (no unknown check), so a scan of it is complete unless
 * a policy fails.
 */
export function writeManyRoutes(count = 200): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gatewarden-routes-'));
  let text = `resource "aws_apigatewayv2_api" "shop" {
  name          = "shop"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.shop.id
  name   = "prod"
  default_route_settings {
    throttling_rate_limit  = 100
    throttling_burst_limit = 50
  }
}
`;
  for (let index = 0; index < count; index++) {
    text += `
resource "aws_apigatewayv2_route" "r${index}" {
  api_id    = aws_apigatewayv2_api.shop.id
  route_key = "GET /${index % 50 === 0 ? 'admin' : 'items'}/${index}"
}
`;
  }
  writeFileSync(path.join(dir, 'main.tf'), text);
  return dir;
}
