/**
 * The regions of the commercial partition, and which of them an account must opt in to. The SDK has
 * no public list of regions; finding the enabled ones through the Account or EC2 API would need a
 * permission beyond API Gateway reads, so the audit tries every region here and treats an opt-in
 * region that rejects the credentials as not enabled. Update with new regions.
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 */
export const AWS_REGIONS: ReadonlyArray<{ readonly region: string; readonly optIn: boolean }> = [
  { region: 'us-east-1', optIn: false },
  { region: 'us-east-2', optIn: false },
  { region: 'us-west-1', optIn: false },
  { region: 'us-west-2', optIn: false },
  { region: 'af-south-1', optIn: true },
  { region: 'ap-east-1', optIn: true },
  { region: 'ap-east-2', optIn: true },
  { region: 'ap-south-1', optIn: false },
  { region: 'ap-south-2', optIn: true },
  { region: 'ap-southeast-1', optIn: false },
  { region: 'ap-southeast-2', optIn: false },
  { region: 'ap-southeast-3', optIn: true },
  { region: 'ap-southeast-4', optIn: true },
  { region: 'ap-southeast-5', optIn: true },
  { region: 'ap-southeast-6', optIn: true },
  { region: 'ap-southeast-7', optIn: true },
  { region: 'ap-northeast-1', optIn: false },
  { region: 'ap-northeast-2', optIn: false },
  { region: 'ap-northeast-3', optIn: false },
  { region: 'ca-central-1', optIn: false },
  { region: 'ca-west-1', optIn: true },
  { region: 'eu-central-1', optIn: false },
  { region: 'eu-central-2', optIn: true },
  { region: 'eu-west-1', optIn: false },
  { region: 'eu-west-2', optIn: false },
  { region: 'eu-west-3', optIn: false },
  { region: 'eu-south-1', optIn: true },
  { region: 'eu-south-2', optIn: true },
  { region: 'eu-north-1', optIn: false },
  { region: 'il-central-1', optIn: true },
  { region: 'me-south-1', optIn: true },
  { region: 'me-central-1', optIn: true },
  { region: 'mx-central-1', optIn: true },
  { region: 'sa-east-1', optIn: false },
];

/** Regions of the other partitions, all enabled by default for accounts there. */
export const PARTITION_REGIONS: Readonly<Record<string, readonly string[]>> = {
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};

/** The regions to audit by default in a partition, with whether each needs opting in. */
export function defaultRegions(partition: string): ReadonlyArray<{ readonly region: string; readonly optIn: boolean }> {
  if (partition === 'aws') return AWS_REGIONS;
  return (PARTITION_REGIONS[partition] ?? []).map((region) => ({ region, optIn: false }));
}
