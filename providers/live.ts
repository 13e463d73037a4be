import { AWS_AUDITOR } from './aws/live/auditor.js';
import { AZURE_AUDITOR } from './azure/live/auditor.js';
import { GCP_AUDITOR } from './gcp/live/auditor.js';
import type { LiveAuditor } from './live-auditor.js';

export type { AuditStopReason, LiveAudit, LiveAuditContext, LiveAuditor, LiveOption, LiveOptionValues, LiveReadResult } from './live-auditor.js';

/** The one registry of live providers: `gatewarden audit <name>`. */
export const LIVE_AUDITORS = {
  aws: AWS_AUDITOR,
  azure: AZURE_AUDITOR,
  gcp: GCP_AUDITOR,
} as const;

/** The name of a registered live provider. */
export type LiveProviderName = keyof typeof LIVE_AUDITORS;

/** The options of one provider's audit. */
export type LiveOptionsOf<K extends LiveProviderName> = (typeof LIVE_AUDITORS)[K] extends LiveAuditor<infer O> ? O : never;

/** Whether a name is a registered live provider. */
export function isLiveProviderName(name: string): name is LiveProviderName {
  return Object.hasOwn(LIVE_AUDITORS, name);
}
