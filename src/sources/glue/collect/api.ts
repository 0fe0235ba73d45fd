/**
 * The three calls the Glue collector makes, typed as the subset it reads (Kysely's "type the
 * client as what you use"): implemented by the AWS SDK (sdk-api.ts) and by a folder of
 * captured API responses (captured-api.ts). Times are `Date`s whatever the source wrote.
 */

/** The part of a Glue `Job` (GetJobs) the collector reads. */
export interface GlueJob {
  Name?: string | undefined;
  /** `Command.Name`: glueetl, gluestreaming, pythonshell or glueray. */
  Command?: { Name?: string | undefined } | undefined;
  /** Minutes; absent means Glue's default (2,880 for Glue 4.0 and earlier, 480 for 5.0+). */
  Timeout?: number | undefined;
  MaxCapacity?: number | undefined;
  WorkerType?: string | undefined;
  NumberOfWorkers?: number | undefined;
  GlueVersion?: string | undefined;
  ExecutionClass?: string | undefined;
  /** The job's IAM role ARN: names the account the job (and its runs) belong to. */
  Role?: string | undefined;
}

/** The part of a Glue `JobRun` (GetJobRuns) the collector reads. */
export interface GlueJobRun {
  Id?: string | undefined;
  Attempt?: number | undefined;
  PreviousRunId?: string | undefined;
  TriggerName?: string | undefined;
  JobName?: string | undefined;
  StartedOn?: Date | undefined;
  LastModifiedOn?: Date | undefined;
  CompletedOn?: Date | undefined;
  JobRunState?: string | undefined;
  ErrorMessage?: string | undefined;
  /** Seconds the run consumed resources. */
  ExecutionTime?: number | undefined;
  Timeout?: number | undefined;
  MaxCapacity?: number | undefined;
  WorkerType?: string | undefined;
  NumberOfWorkers?: number | undefined;
  GlueVersion?: string | undefined;
  /** Set for FLEX runs and auto scaling runs: executor-seconds × the worker's DPU factor. */
  DPUSeconds?: number | undefined;
  ExecutionClass?: string | undefined;
}

export interface GlueJobsPage {
  Jobs?: GlueJob[] | undefined;
  NextToken?: string | undefined;
}

export interface GlueJobRunsPage {
  JobRuns?: GlueJobRun[] | undefined;
  NextToken?: string | undefined;
}

export interface MetricDimension {
  Name: string;
  Value: string;
}

/** One `MetricDataQuery` with a `MetricStat` (no math expressions: the collector asks for metrics). */
export interface MetricDataQuery {
  Id: string;
  MetricStat?:
    | {
        Metric: {
          Namespace?: string | undefined;
          MetricName?: string | undefined;
          Dimensions?: MetricDimension[] | undefined;
        };
        Period: number;
        Stat: string;
      }
    | undefined;
  Label?: string | undefined;
  ReturnData?: boolean | undefined;
}

export interface GetMetricDataInput {
  MetricDataQueries: MetricDataQuery[];
  /** Inclusive. */
  StartTime: Date;
  /** Exclusive. */
  EndTime: Date;
  NextToken?: string | undefined;
  ScanBy?: 'TimestampAscending' | 'TimestampDescending' | undefined;
}

export interface MetricDataResult {
  Id?: string | undefined;
  Label?: string | undefined;
  Timestamps?: Date[] | undefined;
  Values?: number[] | undefined;
  /** Complete, InternalError, PartialData (more with NextToken) or Forbidden. */
  StatusCode?: string | undefined;
  Messages?: { Code?: string | undefined; Value?: string | undefined }[] | undefined;
}

export interface GetMetricDataOutput {
  MetricDataResults?: MetricDataResult[] | undefined;
  NextToken?: string | undefined;
  Messages?: { Code?: string | undefined; Value?: string | undefined }[] | undefined;
}

/**
 * Where the Glue collector reads jobs, runs and CloudWatch metrics.
 *
 * @example
 * ```ts
 * const api: GlueApi = await openCapturedGlueApi('./captured-glue');
 * const page = await api.getJobRuns('orders-daily-etl'); // newest first
 * page.JobRuns?.[0]?.JobRunState; // 'SUCCEEDED'
 * ```
 */
export interface GlueApi {
  /** One page of GetJobs. */
  getJobs(nextToken?: string): Promise<GlueJobsPage>;
  /** One page of GetJobRuns for a job, newest run first (as Glue returns them). */
  getJobRuns(jobName: string, nextToken?: string): Promise<GlueJobRunsPage>;
  /** One page of CloudWatch GetMetricData. */
  getMetricData(input: GetMetricDataInput): Promise<GetMetricDataOutput>;
  /** Problems found while opening the source (a captured folder's malformed files), if any. */
  readonly warnings?: readonly string[];
}
