import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Seconds since the epoch, `days` before now: how API Gateway's JSON gives `createdDate`. */
export function epochSecondsDaysAgo(days: number): number {
  return Math.floor(Date.now() / 1000) - days * 86_400;
}

/**
 * The AWS account of test/fixtures/live/conformance.json, as the fake serves it. Its API keys were
 * created 14 days before the test runs: the conformance is about the API's configuration, which the
 * Terraform fixture also holds, while a key's age exists only live and has its own tests
 * (api-keys-rotated). A fixed date in the file would make those tests change verdict as the
 * calendar moves on.
 */
export function awsConformanceAccount(): Record<string, unknown> {
  const account = JSON.parse(readFileSync(path.join(repo, 'test/fixtures/live/conformance.json'), 'utf8')) as { apiKeys?: Array<Record<string, unknown>> };
  for (const key of account.apiKeys ?? []) key.createdDate = epochSecondsDaysAgo(14);
  return account as Record<string, unknown>;
}
