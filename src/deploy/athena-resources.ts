import {
  BatchGetNamedQueryCommand,
  type BatchGetNamedQueryCommandOutput,
  CreateNamedQueryCommand,
  type CreateNamedQueryCommandOutput,
  CreateWorkGroupCommand,
  type CreateWorkGroupCommandOutput,
  DeleteNamedQueryCommand,
  type DeleteNamedQueryCommandOutput,
  type GetQueryExecutionCommand,
  type GetQueryExecutionCommandOutput,
  type GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  GetWorkGroupCommand,
  type GetWorkGroupCommandOutput,
  ListNamedQueriesCommand,
  type ListNamedQueriesCommandOutput,
  type NamedQuery,
  type StartQueryExecutionCommand,
  type StartQueryExecutionCommandOutput,
  type StopQueryExecutionCommand,
  type StopQueryExecutionCommandOutput,
  UpdateNamedQueryCommand,
  type UpdateNamedQueryCommandOutput,
  UpdateWorkGroupCommand,
  type UpdateWorkGroupCommandOutput,
  type WorkGroup,
} from '@aws-sdk/client-athena';
import type { DeployConfig } from './deploy-config.ts';
import { diffValues } from './diff-values.ts';
import { absentIfNotFound, type Resource } from './resource.ts';

/** The Athena calls deploy makes (the engine's four, for the view, plus these); a real `AthenaClient` fits. */
export interface AthenaDeployLike {
  send(command: StartQueryExecutionCommand): Promise<StartQueryExecutionCommandOutput>;
  send(command: GetQueryExecutionCommand): Promise<GetQueryExecutionCommandOutput>;
  send(command: GetQueryResultsCommand): Promise<GetQueryResultsCommandOutput>;
  send(command: StopQueryExecutionCommand): Promise<StopQueryExecutionCommandOutput>;
  send(command: GetWorkGroupCommand): Promise<GetWorkGroupCommandOutput>;
  send(command: CreateWorkGroupCommand): Promise<CreateWorkGroupCommandOutput>;
  send(command: UpdateWorkGroupCommand): Promise<UpdateWorkGroupCommandOutput>;
  send(command: ListNamedQueriesCommand): Promise<ListNamedQueriesCommandOutput>;
  send(command: BatchGetNamedQueryCommand): Promise<BatchGetNamedQueryCommandOutput>;
  send(command: CreateNamedQueryCommand): Promise<CreateNamedQueryCommandOutput>;
  send(command: UpdateNamedQueryCommand): Promise<UpdateNamedQueryCommandOutput>;
  send(command: DeleteNamedQueryCommand): Promise<DeleteNamedQueryCommandOutput>;
}

/** Athena engine version 3 speaks the Trino SQL the library is written in. */
export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

/**
 * lakeq's work group: engine v3, results in `resultsLocation`, the work group's settings enforced
 * (so every query, also a state machine's, writes results where the policies allow), CloudWatch
 * metrics on, and the optional per-query scan cutoff.
 *
 * @example
 * ```ts
 * workGroupResource(athena, config)
 * // GetWorkGroup → "WorkGroup lakeq is not found" → CreateWorkGroup { Name: 'lakeq', Configuration: { … } }
 * ```
 */
export function workGroupResource(athena: AthenaDeployLike, config: DeployConfig): Resource<WorkGroup> {
  const cutoff = config.bytesScannedCutoffPerQuery;
  const settings = {
    EnforceWorkGroupConfiguration: true,
    PublishCloudWatchMetricsEnabled: true,
    EngineVersion: { SelectedEngineVersion: ATHENA_ENGINE_VERSION },
  };
  const desired = {
    Name: config.workGroup,
    Description: 'lakeq: library queries, hourly loads and dashboards',
    State: 'ENABLED' as const,
    Configuration: {
      ResultConfiguration: { OutputLocation: config.resultsLocation },
      ...settings,
      ...(cutoff ? { BytesScannedCutoffPerQuery: cutoff } : {}),
    },
  };
  return {
    kind: 'athena-workgroup',
    name: config.workGroup,
    describe: async () =>
      (await absentIfNotFound(() => athena.send(new GetWorkGroupCommand({ WorkGroup: config.workGroup }))))
        ?.WorkGroup,
    diff: (current) => {
      const lines = diffValues(desired, current);
      if (!cutoff && current.Configuration?.BytesScannedCutoffPerQuery !== undefined)
        lines.push(
          `Configuration.BytesScannedCutoffPerQuery: ${current.Configuration.BytesScannedCutoffPerQuery} → (none)`,
        );
      return lines;
    },
    create: async () => {
      const { State: _, ...create } = desired;
      await athena.send(new CreateWorkGroupCommand(create));
    },
    update: async () => {
      await athena.send(
        new UpdateWorkGroupCommand({
          WorkGroup: config.workGroup,
          Description: desired.Description,
          State: desired.State,
          ConfigurationUpdates: {
            ...settings,
            ResultConfigurationUpdates: { OutputLocation: config.resultsLocation },
            ...(cutoff ? { BytesScannedCutoffPerQuery: cutoff } : { RemoveBytesScannedCutoffPerQuery: true }),
          },
        }),
      );
    },
  };
}

/** A named query as deploy wants it in the work group. */
export interface NamedQueryDefinition {
  readonly Name: string;
  readonly Description: string;
  readonly Database: string;
  readonly QueryString: string;
}

/**
 * The named queries of a work group, read once (ListNamedQueries pages, then BatchGetNamedQuery
 * 50 ids at a time) and shared by every named-query resource. A work group that does not exist
 * yet has none.
 */
export function namedQueryIndex(athena: AthenaDeployLike, workGroup: string): () => Promise<NamedQuery[]> {
  let loaded: Promise<NamedQuery[]> | undefined;
  const load = async () => {
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await absentIfNotFound(() =>
        athena.send(
          new ListNamedQueriesCommand({
            WorkGroup: workGroup,
            MaxResults: 50,
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      );
      if (!page) return [];
      ids.push(...(page.NamedQueryIds ?? []));
      token = page.NextToken;
    } while (token);
    const queries: NamedQuery[] = [];
    for (let i = 0; i < ids.length; i += 50) {
      const out = await athena.send(new BatchGetNamedQueryCommand({ NamedQueryIds: ids.slice(i, i + 50) }));
      queries.push(...(out.NamedQueries ?? []));
    }
    return queries;
  };
  return () => {
    loaded ??= load();
    return loaded;
  };
}

/**
 * One library query as an Athena named query, found by its name. UpdateNamedQuery cannot move a
 * query to another database, so a changed database creates the query anew and deletes the old one.
 *
 * @example
 * ```ts
 * namedQueryResource(athena, 'lakeq', index, { Name: 'lakeq/identity-center/instance-churn', Database: 'lakeq', … })
 * // the SQL changed → UpdateNamedQuery { NamedQueryId, Name, Description, QueryString }
 * ```
 */
export function namedQueryResource(
  athena: AthenaDeployLike,
  workGroup: string,
  index: () => Promise<NamedQuery[]>,
  desired: NamedQueryDefinition,
): Resource<NamedQuery> {
  const create = async () => {
    await athena.send(new CreateNamedQueryCommand({ ...desired, WorkGroup: workGroup }));
  };
  return {
    kind: 'athena-named-query',
    name: desired.Name,
    describe: async () => (await index()).find((q) => q.Name === desired.Name),
    diff: (current) => diffValues(desired, current),
    create,
    update: async (current) => {
      if (current.Database !== desired.Database) {
        await create();
        await athena.send(new DeleteNamedQueryCommand({ NamedQueryId: current.NamedQueryId }));
        return;
      }
      await athena.send(
        new UpdateNamedQueryCommand({
          NamedQueryId: current.NamedQueryId,
          Name: desired.Name,
          Description: desired.Description,
          QueryString: desired.QueryString,
        }),
      );
    },
  };
}
