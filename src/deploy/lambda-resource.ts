import {
  CreateFunctionCommand,
  type CreateFunctionCommandOutput,
  type FunctionConfiguration,
  GetFunctionCommand,
  type GetFunctionCommandOutput,
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandOutput,
  UpdateFunctionCodeCommand,
  type UpdateFunctionCodeCommandOutput,
  UpdateFunctionConfigurationCommand,
  type UpdateFunctionConfigurationCommandOutput,
} from '@aws-sdk/client-lambda';
import { pollWithBackoff } from '../engines/aws-polling.ts';
import { sourceEnvName } from '../sources/registry.ts';
import { arns, type DeployConfig, sourcesOnAws } from './deploy-config.ts';
import { diffValues } from './diff-values.ts';
import type { LambdaBundle } from './lambda-bundle.ts';
import { absentIfNotFound, type Resource, type Sleep } from './resource.ts';
import { stateMachineName } from './state-machine-resources.ts';

/** The Lambda calls deploy makes; a real `LambdaClient` fits. */
export interface LambdaLike {
  send(command: GetFunctionCommand): Promise<GetFunctionCommandOutput>;
  send(command: GetFunctionConfigurationCommand): Promise<GetFunctionConfigurationCommandOutput>;
  send(command: CreateFunctionCommand): Promise<CreateFunctionCommandOutput>;
  send(command: UpdateFunctionCodeCommand): Promise<UpdateFunctionCodeCommandOutput>;
  send(command: UpdateFunctionConfigurationCommand): Promise<UpdateFunctionConfigurationCommandOutput>;
}

/**
 * The environment lambda-entry.ts reads (its AWS context: the data bucket for state and UNLOAD
 * output, each delivered source's root to list, the account of the QuickSight datasets), then `lambda.environment`
 * from the deploy file (which wins).
 *
 * @example
 * ```ts
 * lambdaEnvironment(config).LAKEQ_CLOUDTRAIL_ROOT // 's3://org-trail' (trail.bucket and trail.prefix)
 * ```
 */
export function lambdaEnvironment(config: DeployConfig): Record<string, string> {
  return {
    LAKEQ_GLUE_DATABASE: config.database,
    LAKEQ_ATHENA_WORKGROUP: config.workGroup,
    LAKEQ_DATA_BUCKET: config.data.bucket,
    LAKEQ_DATA_PREFIX: config.data.prefix,
    // Where the Lambda reads each delivered source in place: LAKEQ_CLOUDTRAIL_ROOT, s3://trail[/prefix].
    ...Object.fromEntries(
      sourcesOnAws(config).flatMap(({ source, aws }) =>
        aws.root === undefined ? [] : [[sourceEnvName(source, 'ROOT'), aws.root]],
      ),
    ),
    LAKEQ_AWS_ACCOUNT_ID: config.accountId,
    LAKEQ_HOURLY_STATE_MACHINE_ARN: arns.stateMachine(
      config,
      stateMachineName(config, config.schedule.stateMachine),
    ),
    ...(config.alarms.glueDailyCostUsd
      ? { LAKEQ_GLUE_DAILY_COST_USD: String(config.alarms.glueDailyCostUsd) }
      : {}),
    ...config.lambda.environment,
  };
}

const ready = (c: FunctionConfiguration | undefined) =>
  c?.State !== 'Pending' && c?.LastUpdateStatus !== 'InProgress';

/**
 * The function for the state machines' code tasks. The code is compared by CodeSha256 (the zip
 * is byte-stable), the configuration member by member; an update sends UpdateFunctionCode and/or
 * UpdateFunctionConfiguration, waiting in between because Lambda rejects an update while one
 * is in progress.
 *
 * @example
 * ```ts
 * lambdaFunctionResource(lambda, config, await bundleLambda(config.lambda.entry))
 * // only the code changed → UpdateFunctionCode { FunctionName: 'lakeq-tasks', ZipFile, Architectures: ['arm64'] }
 * ```
 */
export function lambdaFunctionResource(
  lambda: LambdaLike,
  config: DeployConfig,
  bundle: LambdaBundle,
  options: { readonly sleep?: Sleep } = {},
): Resource<FunctionConfiguration> {
  const FunctionName = config.lambda.functionName;
  const settings = {
    Role: config.roles.lambda,
    Runtime: config.lambda.runtime,
    Handler: 'index.handler',
    Description: 'lakeq: the code tasks of the lakeq state machines',
    Timeout: config.lambda.timeoutSeconds,
    MemorySize: config.lambda.memoryMb,
    Environment: { Variables: lambdaEnvironment(config) },
  };
  const architectures = [config.lambda.architecture];
  // The variables must match exactly: one removed from the deploy file is removed from the function.
  const configDiff = (c: FunctionConfiguration) => {
    const { Environment, ...rest } = settings;
    return [
      ...diffValues(rest, c),
      ...diffValues(Environment.Variables, c.Environment?.Variables ?? {}, { exact: true }).map(
        (line) => `Environment.Variables.${line}`,
      ),
    ];
  };
  const codeDiffers = (c: FunctionConfiguration) =>
    c.CodeSha256 !== bundle.sha256 || (c.Architectures ?? ['x86_64']).join() !== architectures.join();
  const waitReady = () =>
    pollWithBackoff({
      poll: () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName })),
      isDone: ready,
      initialMs: 1000,
      sleep: options.sleep,
    });
  return {
    kind: 'lambda-function',
    name: FunctionName,
    describe: async () =>
      (await absentIfNotFound(() => lambda.send(new GetFunctionCommand({ FunctionName }))))?.Configuration,
    diff: (current) => {
      const lines = configDiff(current);
      if (current.CodeSha256 !== bundle.sha256)
        lines.push(
          `code: sha256 ${current.CodeSha256 ?? '(none)'} → ${bundle.sha256} (${bundle.zip.length} bytes)`,
        );
      lines.push(
        ...diffValues(
          { Architectures: architectures },
          { Architectures: current.Architectures ?? ['x86_64'] },
        ),
      );
      return lines;
    },
    create: async () => {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName,
          ...settings,
          PackageType: 'Zip',
          Architectures: architectures,
          Code: { ZipFile: bundle.zip },
        }),
      );
    },
    update: async (current) => {
      let waited = ready(current);
      if (codeDiffers(current)) {
        if (!waited) await waitReady();
        await lambda.send(
          new UpdateFunctionCodeCommand({ FunctionName, ZipFile: bundle.zip, Architectures: architectures }),
        );
        waited = false;
      }
      if (configDiff(current).length > 0) {
        if (!waited) await waitReady();
        await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName, ...settings }));
      }
    },
  };
}
