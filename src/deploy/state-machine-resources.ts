import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateStateMachineCommand,
  type CreateStateMachineCommandOutput,
  DescribeStateMachineCommand,
  type DescribeStateMachineCommandOutput,
  UpdateStateMachineCommand,
  type UpdateStateMachineCommandOutput,
} from '@aws-sdk/client-sfn';
import { LakeqError } from '../engines/engine.ts';
import { arns, type DeployConfig } from './deploy-config.ts';
import { diffValues } from './diff-values.ts';
import { substitutePlaceholders } from './placeholders.ts';
import { absentIfNotFound, type Resource } from './resource.ts';

/** The Step Functions calls deploy makes; a real `SFNClient` fits. */
export interface SfnLike {
  send(command: DescribeStateMachineCommand): Promise<DescribeStateMachineCommandOutput>;
  send(command: CreateStateMachineCommand): Promise<CreateStateMachineCommandOutput>;
  send(command: UpdateStateMachineCommand): Promise<UpdateStateMachineCommandOutput>;
}

/** A state machine file with its placeholders substituted. */
export interface StateMachineSource {
  /** The file's base name: `hourly` for `hourly.asl.json`. */
  readonly key: string;
  /** The deployed name: the prefix and the key, `lakeq-hourly`. */
  readonly name: string;
  readonly arn: string;
  readonly definition: string;
}

const ASL_SUFFIX = '.asl.json';

/** `hourly` → `HourlyStateMachineArn`, `glue-runs` → `GlueRunsStateMachineArn`. */
export const stateMachineArnPlaceholder = (key: string) =>
  `${key.replace(/(^|[-_])([a-z0-9])/g, (_, _sep: string, c: string) => c.toUpperCase())}StateMachineArn`;

/** The state machine files of `dir`, by key (sorted). */
export async function listStateMachineKeys(dir: string): Promise<string[]> {
  let files: string[];
  try {
    files = await readdir(dir);
  } catch (error) {
    throw new LakeqError('NO_STATE_MACHINES', `cannot read ${dir}: ${(error as Error).message}`, {
      usage: true,
    });
  }
  return files
    .filter((f) => f.endsWith(ASL_SUFFIX))
    .map((f) => f.slice(0, -ASL_SUFFIX.length))
    .sort();
}

/**
 * The values `${Name}` placeholders in the ASL files take: account (`AccountId`, `AwsAccountId`),
 * Region, partition, the database (`Database`, `GlueDatabase`), work group (`WorkGroup`,
 * `AthenaWorkGroup`) and buckets, the Lambda function, every state machine's ARN (so one can
 * start another), then `stateMachines.placeholders` from the deploy file, which win.
 *
 * @example
 * ```ts
 * placeholderValues(config, ['backfill', 'hourly'])
 * // { AccountId: '111122223333', Region: 'eu-west-1', Partition: 'aws', Database: 'lakeq', WorkGroup: 'lakeq',
 * //   ResultsLocation: 's3://…', DataBucket: 'lake', DataPrefix: 'lakeq', LambdaFunctionArn: 'arn:aws:lambda:…',
 * //   HourlyStateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:lakeq-hourly', … }
 * ```
 */
export function placeholderValues(config: DeployConfig, keys: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {
    AccountId: config.accountId,
    AwsAccountId: config.accountId,
    Region: config.region,
    Partition: config.partition,
    Database: config.database,
    GlueDatabase: config.database,
    Catalog: config.catalog,
    WorkGroup: config.workGroup,
    AthenaWorkGroup: config.workGroup,
    ResultsLocation: config.resultsLocation,
    DataBucket: config.data.bucket,
    DataPrefix: config.data.prefix,
    LambdaFunctionName: config.lambda.functionName,
    LambdaFunctionArn: arns.lambda(config),
    QuickSightAccountId: config.accountId,
    StateMachinePrefix: config.stateMachines.namePrefix,
    FindingsReportTopicArn: arns.findingsReportTopic(config),
  };
  for (const key of keys)
    values[stateMachineArnPlaceholder(key)] = arns.stateMachine(config, stateMachineName(config, key));
  return { ...values, ...config.stateMachines.placeholders };
}

export const stateMachineName = (config: DeployConfig, key: string) =>
  `${config.stateMachines.namePrefix}${key}`;

/**
 * Reads every `*.asl.json` of the state machine folder and substitutes its placeholders; fails
 * on a placeholder without a value or on a file that is not JSON after substitution.
 */
export async function loadStateMachines(config: DeployConfig): Promise<StateMachineSource[]> {
  const keys = await listStateMachineKeys(config.stateMachines.dir);
  const values = placeholderValues(config, keys);
  return Promise.all(
    keys.map(async (key) => {
      const file = path.join(config.stateMachines.dir, `${key}${ASL_SUFFIX}`);
      const definition = substitutePlaceholders(await readFile(file, 'utf8'), values, { source: file });
      try {
        JSON.parse(definition);
      } catch (error) {
        throw new LakeqError('BAD_STATE_MACHINE', `${file} is not JSON: ${(error as Error).message}`);
      }
      const name = stateMachineName(config, key);
      return { key, name, arn: arns.stateMachine(config, name), definition };
    }),
  );
}

/**
 * A STANDARD state machine. The definition is compared as JSON (whitespace does not matter, a
 * removed state does), along with the role. The text is sent as the file has it.
 *
 * @example
 * ```ts
 * stateMachineResource(sfn, source, 'arn:aws:iam::111122223333:role/lakeq-states')
 * // a Retry changed in hourly.asl.json → UpdateStateMachine { stateMachineArn, definition, roleArn }
 * ```
 */
export function stateMachineResource(
  sfn: SfnLike,
  source: StateMachineSource,
  roleArn: string,
): Resource<DescribeStateMachineCommandOutput> {
  const desired = JSON.parse(source.definition) as unknown;
  return {
    kind: 'state-machine',
    name: source.name,
    describe: () =>
      absentIfNotFound(() => sfn.send(new DescribeStateMachineCommand({ stateMachineArn: source.arn }))),
    diff: (current) => {
      let have: unknown;
      try {
        have = JSON.parse(current.definition ?? '');
      } catch {
        have = current.definition;
      }
      const lines = diffValues(desired, have, { exact: true }).map((l) => `definition.${l}`);
      if (current.roleArn !== roleArn) lines.push(`roleArn: ${current.roleArn} → ${roleArn}`);
      if (current.type !== undefined && current.type !== 'STANDARD')
        lines.push(`type: ${current.type} → STANDARD (cannot be updated: delete the state machine first)`);
      return lines;
    },
    create: async () => {
      await sfn.send(
        new CreateStateMachineCommand({
          name: source.name,
          definition: source.definition,
          roleArn,
          type: 'STANDARD',
        }),
      );
    },
    update: async (current) => {
      if (current.type !== undefined && current.type !== 'STANDARD') {
        throw new LakeqError(
          'STATE_MACHINE_TYPE',
          `${source.name} is ${current.type}; delete it so deploy creates a STANDARD one`,
        );
      }
      await sfn.send(
        new UpdateStateMachineCommand({
          stateMachineArn: source.arn,
          definition: source.definition,
          roleArn,
        }),
      );
    },
  };
}
