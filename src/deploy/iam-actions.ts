/**
 * Which IAM actions an AWS call needs: an SDK v3 command (`new GetTableCommand(…)` from
 * `@aws-sdk/client-glue`) or a Step Functions Task `Resource`. The IAM policy test maps every call
 * the code and the ASL make through these and checks the policies allow them.
 */

/** IAM prefixes of the SDK client packages, where the package name is not the prefix. */
const SDK_PREFIX: Readonly<Record<string, string>> = { sfn: 'states', 'sso-admin': 'sso' };

/** Commands whose IAM action is not their own name. */
const SDK_EXCEPTIONS: Readonly<Record<string, readonly string[]>> = {
  'lambda:Invoke': ['lambda:InvokeFunction'],
  's3:ListObjectsV2': ['s3:ListBucket'],
  's3:ListObjects': ['s3:ListBucket'],
  's3:HeadObject': ['s3:GetObject'],
  's3:HeadBucket': ['s3:ListBucket'],
  's3:DeleteObjects': ['s3:DeleteObject'],
  's3:CopyObject': ['s3:GetObject', 's3:PutObject'],
  's3:CreateMultipartUpload': ['s3:PutObject'],
  's3:UploadPart': ['s3:PutObject'],
  's3:CompleteMultipartUpload': ['s3:PutObject'],
};

/**
 * What Athena does with the caller's permissions while it runs a query: read the catalog, read
 * the tables' files, write the results (and, for INSERT/CTAS/UNLOAD, the data) to S3.
 */
export const ATHENA_QUERY_IMPLIED = [
  'glue:GetDatabase',
  'glue:GetTable',
  'glue:GetPartitions',
  's3:GetBucketLocation',
  's3:GetObject',
  's3:ListBucket',
  's3:PutObject',
  's3:AbortMultipartUpload',
] as const;

/** Actions a call needs besides its own: passing a role, reading what the query reads. */
const IMPLIED: Readonly<Record<string, readonly string[]>> = {
  'athena:StartQueryExecution': ATHENA_QUERY_IMPLIED,
  'lambda:CreateFunction': ['iam:PassRole'],
  'lambda:UpdateFunctionConfiguration': ['iam:PassRole'],
  'states:CreateStateMachine': ['iam:PassRole'],
  'states:UpdateStateMachine': ['iam:PassRole'],
  'scheduler:CreateSchedule': ['iam:PassRole'],
  'scheduler:UpdateSchedule': ['iam:PassRole'],
  'quicksight:CreateDataSet': ['quicksight:PassDataSource'],
  'quicksight:UpdateDataSet': ['quicksight:PassDataSource'],
};

const withImplied = (actions: readonly string[]) => [
  ...new Set(actions.flatMap((a) => [a, ...(IMPLIED[a] ?? [])])),
];

/**
 * The IAM actions an SDK v3 command needs, from its client package and class name.
 *
 * @example
 * ```ts
 * iamActionsForSdkCommand('@aws-sdk/client-glue', 'BatchUpdatePartitionCommand') // ['glue:BatchUpdatePartition']
 * iamActionsForSdkCommand('@aws-sdk/client-lambda', 'CreateFunctionCommand')      // ['lambda:CreateFunction', 'iam:PassRole']
 * ```
 */
export function iamActionsForSdkCommand(clientPackage: string, commandName: string): string[] {
  const service = /^@aws-sdk\/client-([a-z0-9-]+)$/.exec(clientPackage)?.[1];
  if (!service || !commandName.endsWith('Command'))
    throw new Error(`${commandName} from ${clientPackage} is not an AWS SDK v3 command`);
  const action = `${SDK_PREFIX[service] ?? service}:${commandName.slice(0, -'Command'.length)}`;
  return withImplied(SDK_EXCEPTIONS[action] ?? [action]);
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The IAM actions a Task state's `Resource` needs, including what a `.sync` integration polls
 * with (Step Functions' documented policies for Athena and nested executions).
 *
 * @example
 * ```ts
 * iamActionsForAslResource('arn:aws:states:::athena:startQueryExecution.sync')
 * // ['athena:StartQueryExecution', 'glue:GetDatabase', …, 'athena:GetQueryExecution', 'athena:StopQueryExecution']
 * iamActionsForAslResource('arn:aws:states:::aws-sdk:glue:batchUpdatePartition') // ['glue:BatchUpdatePartition']
 * iamActionsForAslResource('arn:aws:lambda:eu-west-1:111122223333:function:lakeq-tasks') // ['lambda:InvokeFunction']
 * ```
 */
export function iamActionsForAslResource(resource: string): string[] {
  if (/^arn:[\w-]+:lambda:[^:]+:\d{12}:function:/.test(resource)) return ['lambda:InvokeFunction'];
  const match =
    /^arn:[\w-]+:states:::([\w-]+):([\w-]+)(?::([\w-]+))?(?:\.(sync(?::2)?|waitForTaskToken))?$/.exec(
      resource,
    );
  if (!match) throw new Error(`cannot tell the IAM actions of the Task resource "${resource}"`);
  const [, integration, first, second, pattern] = match as unknown as [
    string,
    string,
    string,
    string | undefined,
    string | undefined,
  ];
  if (integration === 'aws-sdk') {
    if (!second) throw new Error(`"${resource}": an aws-sdk integration names a service and an action`);
    const prefix = SDK_PREFIX[first] ?? first;
    return withImplied([`${prefix}:${pascal(second)}`]);
  }
  const sync = pattern?.startsWith('sync') ?? false;
  switch (`${integration}:${first}`) {
    case 'lambda:invoke':
      return ['lambda:InvokeFunction'];
    case 'athena:startQueryExecution':
      return withImplied([
        'athena:StartQueryExecution',
        ...(sync ? ['athena:GetQueryExecution', 'athena:StopQueryExecution'] : []),
      ]);
    case 'athena:getQueryExecution':
    case 'athena:getQueryResults':
    case 'athena:stopQueryExecution':
      return [`athena:${pascal(first)}`];
    case 'states:startExecution':
      return [
        'states:StartExecution',
        ...(sync
          ? [
              'states:DescribeExecution',
              'states:StopExecution',
              'events:PutTargets',
              'events:PutRule',
              'events:DescribeRule',
            ]
          : []),
      ];
    default:
      throw new Error(`no IAM mapping for the Step Functions integration "${resource}"`);
  }
}

/**
 * Every Task `Resource` of a state machine definition, in Parallel branches and Map item
 * processors too.
 *
 * @example
 * ```ts
 * aslTaskResources({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } })
 * // ['arn:aws:states:::lambda:invoke']
 * ```
 */
export function aslTaskResources(definition: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const state = node as Record<string, unknown>;
      if (state.Type === 'Task' && typeof state.Resource === 'string') found.add(state.Resource);
      Object.values(state).forEach(walk);
    }
  };
  walk(definition);
  return [...found];
}
