import type { TableDefinition } from '../../src/catalog/table-definition.ts';
import { TABLES } from '../../src/catalog/tables/index.ts';
import { type DeployConfig, resolveDeployConfig } from '../../src/deploy/deploy-config.ts';

/** lakeq's curated tables, which the dashboards' datasets read. */
export const TEST_TABLES: readonly TableDefinition[] = TABLES;

export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const OWNER = `arn:aws:quicksight:${REGION}:${ACCOUNT}:user/default/admin`;
export const VIEWER = `arn:aws:quicksight:${REGION}:${ACCOUNT}:group/default/analysts`;

export function testConfig(quicksight: Record<string, unknown> = { principals: [OWNER] }): DeployConfig {
  return resolveDeployConfig(
    {
      accountId: ACCOUNT,
      region: REGION,
      data: { bucket: 'lakeq-lake', prefix: 'lakeq' },
      trail: { bucket: 'trail', accounts: [ACCOUNT], regions: [REGION], startDate: '2026-01-01' },
      roles: {
        stateMachine: `arn:aws:iam::${ACCOUNT}:role/sm`,
        lambda: `arn:aws:iam::${ACCOUNT}:role/fn`,
        scheduler: `arn:aws:iam::${ACCOUNT}:role/sch`,
      },
      quicksight,
    },
    {
      aws: {
        athena: { workGroup: 'primary', database: 'lakeq', catalog: 'AwsDataCatalog' },
        cloudtrailLake: {},
      },
    },
    {},
    'lakeq-data',
  );
}
