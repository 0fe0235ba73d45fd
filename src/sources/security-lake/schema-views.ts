import { type HiveType, parseHiveType, toTrinoType, trinoIdentifier } from '../../catalog/hive-types.ts';
import {
  SECURITY_LAKE_TABLES,
  type SecurityLakeSourceName,
  type SecurityLakeTable,
  type SecurityLakeVersion,
  securityLakeDatabase,
  securityLakeTableName,
} from './schema.ts';

/**
 * The version-hiding OCSF views, defined once in Trino SQL (Athena engine v3): each is a UNION
 * ALL over whichever Security Lake tables exist, one branch per table and Region, with one set of
 * columns. The local engine runs the same SQL through lakeq's Trino-to-DuckDB rewrite.
 */

/** A column of a view: its type, and its expression over a version-1 and a version-2 table (NULL when absent). */
export interface OcsfViewColumn {
  readonly name: string;
  /** Hive type of the column. */
  readonly type: string;
  readonly v1?: string;
  readonly v2?: string;
  readonly comment: string;
}

/** One of the OCSF views. */
export interface OcsfView {
  readonly name: string;
  readonly description: string;
  /** The tables it reads, and the OCSF classes it takes from each version. */
  readonly sources: readonly SecurityLakeSourceName[];
  readonly classes: { readonly 1: readonly number[]; readonly 2: readonly number[] };
  /** Class-specific columns after the common ones. */
  readonly columns: readonly OcsfViewColumn[];
  /**
   * The table's own nested columns kept as they are: one column when both versions type it the
   * same, else `<name>_v1` and `<name>_v2` (each NULL in the other version's rows).
   */
  readonly keep: readonly string[];
}

/** Epoch milliseconds as a UTC timestamp (milliseconds kept: `1e3` makes the division a double). */
export const msTimestamp = (e: string) => `CAST(from_unixtime(${e} / 1e3) AT TIME ZONE 'UTC' AS timestamp)`;

const both = (e: string) => ({ v1: e, v2: e });

/** The columns every view starts with. */
export const COMMON_COLUMNS: readonly OcsfViewColumn[] = [
  { name: 'time', type: 'timestamp', ...both(msTimestamp('time')), comment: 'event time, UTC' },
  {
    name: 'class_uid',
    type: 'int',
    ...both('class_uid'),
    comment: 'OCSF class id (3005 in version 1 is 6003 in 2)',
  },
  { name: 'class_name', type: 'string', ...both('class_name'), comment: 'OCSF class name' },
  { name: 'activity_id', type: 'int', ...both('activity_id'), comment: 'OCSF activity id' },
  { name: 'activity_name', type: 'string', ...both('activity_name'), comment: 'OCSF activity name' },
  { name: 'severity_id', type: 'int', ...both('severity_id'), comment: 'OCSF severity id (0–6, 99)' },
  {
    name: 'severity',
    type: 'string',
    ...both('severity'),
    comment: 'Informational, Low, Medium, High, Critical, …',
  },
  { name: 'source_name', type: 'string', comment: 'Security Lake source: CLOUD_TRAIL_MGMT, SH_FINDINGS, …' },
  { name: 'source_version', type: 'string', comment: "Security Lake source version: '1.0' or '2.0'" },
  {
    name: 'ocsf_version',
    type: 'string',
    ...both('metadata.version'),
    comment: 'OCSF schema version of the record',
  },
  {
    name: 'product_name',
    type: 'string',
    ...both('metadata.product.name'),
    comment: 'the product that logged it',
  },
  { name: 'account_id', type: 'string', ...both('accountid'), comment: 'the account (partition accountid)' },
  { name: 'region', type: 'string', ...both('region'), comment: 'the Region (partition region)' },
  { name: 'event_day', type: 'string', ...both('eventday'), comment: "partition eventday, 'YYYYMMDD'" },
];

/** ASFF workflow status from OCSF's status text (both versions spell it New, In Progress, Suppressed, Resolved). */
const workflow = (e: string) =>
  `CASE ${e} WHEN 'New' THEN 'NEW' WHEN 'In Progress' THEN 'NOTIFIED' WHEN 'Suppressed' THEN 'SUPPRESSED' ` +
  `WHEN 'Resolved' THEN 'RESOLVED' ELSE upper(${e}) END`;

const actorColumns: readonly OcsfViewColumn[] = [
  {
    name: 'actor_user_type',
    type: 'string',
    ...both('actor.user.type'),
    comment: 'IAMUser, AssumedRole, Root, …',
  },
  { name: 'actor_user_name', type: 'string', ...both('actor.user.name'), comment: 'the caller’s name' },
  {
    name: 'actor_user_arn',
    type: 'string',
    v1: 'actor.user.uuid',
    v2: 'actor.user.uid',
    comment: 'the caller’s ARN',
  },
  {
    name: 'actor_user_uid',
    type: 'string',
    v1: 'actor.user.uid',
    v2: 'actor.user.uid_alt',
    comment: 'the caller’s principal id',
  },
  {
    name: 'actor_account_uid',
    type: 'string',
    v1: 'actor.user.account_uid',
    v2: 'actor.user.account.uid',
    comment: 'the caller’s account',
  },
  {
    name: 'actor_invoked_by',
    type: 'string',
    ...both('actor.invoked_by'),
    comment: 'the service that called for it',
  },
  { name: 'src_ip', type: 'string', ...both('src_endpoint.ip'), comment: 'the caller’s IP address' },
  { name: 'user_agent', type: 'string', ...both('http_request.user_agent'), comment: 'the client' },
  { name: 'status', type: 'string', ...both('status'), comment: 'Success or Failure' },
  { name: 'status_id', type: 'int', ...both('status_id'), comment: '1 Success, 2 Failure' },
];

/** The seven views. */
export const OCSF_VIEWS: readonly OcsfView[] = [
  {
    name: 'ocsf_api_activity',
    description:
      'API calls (OCSF API Activity: 3005 in source version 1, 6003 in 2) from CloudTrail and EKS audit logs.',
    sources: ['CLOUD_TRAIL_MGMT', 'EKS_AUDIT'],
    classes: { 1: [3005], 2: [6003] },
    columns: [
      {
        name: 'api_operation',
        type: 'string',
        ...both('api.operation'),
        comment: 'the API action (eventName)',
      },
      {
        name: 'api_service',
        type: 'string',
        ...both('api.service.name'),
        comment: 'the service (eventSource)',
      },
      { name: 'api_request_uid', type: 'string', ...both('api.request.uid'), comment: 'the request id' },
      {
        name: 'api_error',
        type: 'string',
        ...both('api.response.error'),
        comment: 'the error code, NULL on success',
      },
      {
        name: 'api_error_message',
        type: 'string',
        v1: 'api.response.message',
        v2: 'api.response.error_message',
        comment: 'the error message',
      },
      ...actorColumns,
      {
        name: 'session_mfa',
        type: 'boolean',
        v1: 'actor.session.mfa',
        v2: 'actor.session.is_mfa',
        comment: 'whether the session was MFA-authenticated',
      },
    ],
    keep: ['actor', 'api', 'resources', 'src_endpoint', 'http_request', 'unmapped'],
  },
  {
    name: 'ocsf_authentication',
    description: 'Sign-ins and credential use (OCSF Authentication 3002) from CloudTrail.',
    sources: ['CLOUD_TRAIL_MGMT'],
    classes: { 1: [3002], 2: [3002] },
    columns: [
      {
        name: 'api_operation',
        type: 'string',
        ...both('api.operation'),
        comment: 'ConsoleLogin, AssumeRole, …',
      },
      {
        name: 'api_service',
        type: 'string',
        ...both('api.service.name'),
        comment: 'the service (eventSource)',
      },
      ...actorColumns,
      { name: 'is_mfa', type: 'boolean', v1: 'mfa', v2: 'is_mfa', comment: 'whether MFA was used' },
      { name: 'status_detail', type: 'string', v2: 'status_detail', comment: 'why it failed (version 2)' },
    ],
    keep: ['actor', 'api', 'user', 'src_endpoint', 'unmapped'],
  },
  {
    name: 'ocsf_account_change',
    description: 'IAM users, roles and their policies changed (OCSF Account Change 3001) from CloudTrail.',
    sources: ['CLOUD_TRAIL_MGMT'],
    classes: { 1: [3001], 2: [3001] },
    columns: [
      {
        name: 'api_operation',
        type: 'string',
        ...both('api.operation'),
        comment: 'CreateUser, AttachRolePolicy, …',
      },
      {
        name: 'api_error',
        type: 'string',
        ...both('api.response.error'),
        comment: 'the error code, NULL on success',
      },
      ...actorColumns,
      { name: 'user_name', type: 'string', ...both('user.name'), comment: 'the user or role changed' },
      { name: 'user_uid', type: 'string', v1: 'user.uuid', v2: 'user.uid', comment: 'its ARN' },
      {
        name: 'policy_arn',
        type: 'string',
        v1: "element_at(unmapped, 'requestParameters.policyArn')",
        v2: 'policy.uid',
        comment: 'the policy attached or detached',
      },
    ],
    keep: ['actor', 'api', 'user', 'unmapped'],
  },
  {
    name: 'ocsf_findings',
    description:
      'Security Hub findings (OCSF Security Finding 2001 in source version 1; Detection 2004, Compliance 2003 and ' +
      'Vulnerability 2002 in 2), one row per finding record (a finding is sent again on every update).',
    sources: ['SH_FINDINGS'],
    classes: { 1: [2001], 2: [2002, 2003, 2004] },
    columns: [
      {
        name: 'finding_uid',
        type: 'string',
        v1: 'finding.uid',
        v2: 'finding_info.uid',
        comment: 'the finding id (ARN)',
      },
      {
        name: 'finding_title',
        type: 'string',
        v1: 'finding.title',
        v2: 'finding_info.title',
        comment: 'its title',
      },
      {
        name: 'finding_desc',
        type: 'string',
        v1: 'finding.desc',
        v2: 'finding_info.desc',
        comment: 'its description',
      },
      {
        name: 'workflow_status',
        type: 'string',
        v1: workflow('state'),
        v2: workflow('status'),
        comment: 'NEW, NOTIFIED, SUPPRESSED or RESOLVED',
      },
      {
        name: 'record_state',
        type: 'string',
        v1: "element_at(unmapped, 'RecordState')",
        v2: "coalesce(element_at(unmapped, 'RecordState'), CASE activity_id WHEN 3 THEN 'ARCHIVED' WHEN 1 THEN 'ACTIVE' WHEN 2 THEN 'ACTIVE' END)",
        comment: 'ACTIVE or ARCHIVED',
      },
      {
        name: 'compliance_status',
        type: 'string',
        ...both('compliance.status'),
        comment: 'PASSED, FAILED, WARNING, …',
      },
      {
        name: 'control_id',
        type: 'string',
        v1: "coalesce(element_at(unmapped, 'ProductFields.ControlId'), element_at(unmapped, 'Compliance.SecurityControlId'))",
        v2: 'compliance.control',
        comment: 'the security control, such as EC2.19',
      },
      {
        name: 'resource_type',
        type: 'string',
        ...both('element_at(resources, 1).type'),
        comment: 'the first resource’s type',
      },
      {
        name: 'resource_uid',
        type: 'string',
        ...both('element_at(resources, 1).uid'),
        comment: 'the first resource’s id',
      },
      {
        name: 'first_observed',
        type: 'timestamp',
        v1: msTimestamp('finding.first_seen_time'),
        v2: msTimestamp('finding_info.first_seen_time'),
        comment: 'first observed, UTC',
      },
      {
        name: 'last_observed',
        type: 'timestamp',
        v1: msTimestamp('finding.last_seen_time'),
        v2: msTimestamp('finding_info.last_seen_time'),
        comment: 'last observed, UTC',
      },
      {
        name: 'modified_time',
        type: 'timestamp',
        v1: msTimestamp('finding.modified_time'),
        v2: msTimestamp('finding_info.modified_time'),
        comment: 'last updated, UTC',
      },
      {
        name: 'remediation_url',
        type: 'string',
        v1: 'element_at(finding.remediation.kb_articles, 1)',
        v2: 'coalesce(element_at(remediation.references, 1), element_at(remediation.kb_article_list, 1).src_url)',
        comment: 'where the fix is described',
      },
    ],
    keep: [
      'metadata',
      'cloud',
      'resources',
      'finding',
      'finding_info',
      'compliance',
      'remediation',
      'unmapped',
    ],
  },
  {
    name: 'ocsf_network_activity',
    description: 'VPC Flow Logs records (OCSF Network Activity 4001).',
    sources: ['VPC_FLOW'],
    classes: { 1: [4001], 2: [4001] },
    columns: [
      { name: 'src_ip', type: 'string', ...both('src_endpoint.ip'), comment: 'source address' },
      { name: 'src_port', type: 'int', ...both('src_endpoint.port'), comment: 'source port' },
      { name: 'dst_ip', type: 'string', ...both('dst_endpoint.ip'), comment: 'destination address' },
      { name: 'dst_port', type: 'int', ...both('dst_endpoint.port'), comment: 'destination port' },
      {
        name: 'protocol_num',
        type: 'int',
        ...both('connection_info.protocol_num'),
        comment: 'IANA protocol number',
      },
      {
        name: 'direction',
        type: 'string',
        ...both('connection_info.direction'),
        comment: 'Inbound, Outbound, …',
      },
      {
        name: 'interface_uid',
        type: 'string',
        ...both('coalesce(dst_endpoint.interface_uid, src_endpoint.interface_uid)'),
        comment: 'the network interface',
      },
      {
        name: 'vpc_uid',
        type: 'string',
        ...both('coalesce(dst_endpoint.vpc_uid, src_endpoint.vpc_uid)'),
        comment: 'the VPC',
      },
      { name: 'bytes', type: 'bigint', ...both('traffic.bytes'), comment: 'bytes in the flow' },
      { name: 'packets', type: 'bigint', ...both('traffic.packets'), comment: 'packets in the flow' },
      {
        name: 'action',
        type: 'string',
        v1: "CASE disposition_id WHEN 1 THEN 'Allowed' WHEN 2 THEN 'Denied' END",
        v2: 'action',
        comment: 'Allowed (ACCEPT) or Denied (REJECT)',
      },
      { name: 'disposition', type: 'string', ...both('disposition'), comment: 'Allowed, Blocked, …' },
      {
        name: 'start_time',
        type: 'timestamp',
        ...both(msTimestamp('start_time')),
        comment: 'flow start, UTC',
      },
      { name: 'end_time', type: 'timestamp', ...both(msTimestamp('end_time')), comment: 'flow end, UTC' },
    ],
    keep: ['src_endpoint', 'dst_endpoint', 'connection_info', 'traffic', 'unmapped'],
  },
  {
    name: 'ocsf_dns_activity',
    description: 'Route 53 Resolver query logs (OCSF DNS Activity 4003).',
    sources: ['ROUTE53'],
    classes: { 1: [4003], 2: [4003] },
    columns: [
      { name: 'query_hostname', type: 'string', ...both('query.hostname'), comment: 'the name asked for' },
      { name: 'query_type', type: 'string', ...both('query.type'), comment: 'A, AAAA, …' },
      { name: 'rcode', type: 'string', ...both('rcode'), comment: 'NoError, NXDomain, …' },
      { name: 'src_ip', type: 'string', ...both('src_endpoint.ip'), comment: 'the asking address' },
      { name: 'vpc_uid', type: 'string', ...both('src_endpoint.vpc_uid'), comment: 'the asking VPC' },
      {
        name: 'answer',
        type: 'string',
        ...both('element_at(answers, 1).rdata'),
        comment: 'the first answer',
      },
      { name: 'disposition', type: 'string', ...both('disposition'), comment: 'No Action, Blocked, …' },
    ],
    keep: ['query', 'answers', 'src_endpoint', 'unmapped'],
  },
  {
    name: 'ocsf_http_activity',
    description: 'AWS WAF logs (OCSF HTTP Activity 4002; source version 2 only).',
    sources: ['WAF'],
    classes: { 1: [], 2: [4002] },
    columns: [
      { name: 'http_method', type: 'string', v2: 'http_request.http_method', comment: 'GET, POST, …' },
      {
        name: 'url_hostname',
        type: 'string',
        v2: 'http_request.url.hostname',
        comment: 'the host asked for',
      },
      { name: 'url_path', type: 'string', v2: 'http_request.url.path', comment: 'the path asked for' },
      { name: 'user_agent', type: 'string', v2: 'http_request.user_agent', comment: 'the client' },
      { name: 'src_ip', type: 'string', v2: 'src_endpoint.ip', comment: 'the client address' },
      { name: 'http_status', type: 'int', v2: 'http_response.code', comment: 'the response status' },
      { name: 'action', type: 'string', v2: 'action', comment: 'Allowed or Denied' },
      { name: 'rule_uid', type: 'string', v2: 'firewall_rule.uid', comment: 'the rule that decided' },
    ],
    keep: ['http_request', 'firewall_rule', 'unmapped'],
  },
];

/** A Security Lake table found in a Region (a folder locally, a configured table on Athena). */
export interface PresentTable {
  readonly region: string;
  readonly table: SecurityLakeTable;
}

/** The kept columns of a view: name, Hive type, and the version whose column it is (undefined: both). */
export function keptColumns(
  view: OcsfView,
): { name: string; column: string; type: string; version?: SecurityLakeVersion }[] {
  const out: { name: string; column: string; type: string; version?: SecurityLakeVersion }[] = [];
  for (const column of view.keep) {
    const typeIn = (version: SecurityLakeVersion) => {
      const types = SECURITY_LAKE_TABLES.filter(
        (t) => t.version === version && view.sources.includes(t.source) && view.classes[version].length > 0,
      ).map((t) => t.columns.find((c) => c.name === column)?.type);
      const found = types.filter((t): t is string => t !== undefined);
      if (new Set(found).size > 1)
        throw new Error(`${view.name}: ${column} has two types in version ${version}`);
      return found[0];
    };
    const v1 = typeIn(1);
    const v2 = typeIn(2);
    if (v1 !== undefined && v2 !== undefined && v1 === v2) out.push({ name: column, column, type: v1 });
    else if (v1 !== undefined && v2 !== undefined) {
      out.push({ name: `${column}_v1`, column, type: v1, version: 1 });
      out.push({ name: `${column}_v2`, column, type: v2, version: 2 });
    } else if (v1 !== undefined) out.push({ name: column, column, type: v1, version: 1 });
    else if (v2 !== undefined) out.push({ name: column, column, type: v2, version: 2 });
  }
  return out;
}

/** Every column of a view, in order, with its Hive type. */
export function viewColumns(view: OcsfView): { name: string; type: string }[] {
  return [
    ...COMMON_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
    ...view.columns.map((c) => ({ name: c.name, type: c.type })),
    ...keptColumns(view).map((c) => ({ name: c.name, type: c.type })),
  ];
}

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;
const typedNull = (expr: string | undefined, hive: string) =>
  `CAST(${expr ?? 'NULL'} AS ${toTrinoType(parseHiveType(hive))})`;

/** The declared type of a column path (`finding.uid`) of a table, if the path is one. */
function pathType(table: SecurityLakeTable, expr: string): HiveType | undefined {
  if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/.test(expr)) return undefined;
  const [head, ...rest] = expr.split('.');
  const column = table.columns.find((c) => c.name === head);
  let type: HiveType | undefined = column ? parseHiveType(column.type) : undefined;
  for (const field of rest) {
    type = type?.kind === 'struct' ? type.fields.find((f) => f.name === field)?.type : undefined;
  }
  return type;
}

/** One branch of a view: a table of one Region. */
function branchSql(view: OcsfView, present: PresentTable): string {
  const { table, region } = present;
  const v = table.version;
  // A column that already has the view's type is taken as it is: a cast of it costs a function
  // call per row locally (Trino's exact varchar casts are macros) for nothing.
  const typed = (expr: string | undefined, hive: string) => {
    const own = expr === undefined ? undefined : pathType(table, expr);
    if (own !== undefined && JSON.stringify(own) === JSON.stringify(parseHiveType(hive)))
      return expr as string;
    return typedNull(expr, hive);
  };
  const select = [
    ...COMMON_COLUMNS.map((c) => {
      if (c.name === 'source_name') return `${sqlText(table.source)} AS source_name`;
      if (c.name === 'source_version') return `${sqlText(`${v}.0`)} AS source_version`;
      return `${typed(v === 1 ? c.v1 : c.v2, c.type)} AS ${trinoIdentifier(c.name)}`;
    }),
    ...view.columns.map((c) => `${typed(v === 1 ? c.v1 : c.v2, c.type)} AS ${trinoIdentifier(c.name)}`),
    ...keptColumns(view).map((c) => {
      const mine = c.version === undefined || c.version === v;
      return `${mine ? trinoIdentifier(c.column) : typed(undefined, c.type)} AS ${trinoIdentifier(c.name)}`;
    }),
  ];
  const from = `${securityLakeDatabase(region)}.${securityLakeTableName(region, table)}`;
  return `SELECT\n  ${select.join(',\n  ')}\nFROM ${from}\nWHERE class_uid IN (${view.classes[v].join(', ')})`;
}

/**
 * The SELECT of a view over the tables present: a branch per table and Region of its sources
 * and versions, or an empty row set with the same columns when there is none.
 *
 * @example
 * ```ts
 * ocsfViewSelect(OCSF_VIEWS[3], [{ region: 'us-east-1', table: SECURITY_LAKE_TABLES[2] }])
 * // SELECT CAST(date_add('millisecond', time, TIMESTAMP '1970-01-01 00:00:00') AS timestamp) AS time, …
 * // FROM amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_sh_findings_1_0 WHERE class_uid IN (2001)
 * ```
 */
export function ocsfViewSelect(view: OcsfView, present: readonly PresentTable[]): string {
  const mine = present
    .filter((p) => view.sources.includes(p.table.source) && view.classes[p.table.version].length > 0)
    .sort((a, b) =>
      `${a.table.version}${a.region}${a.table.source}` < `${b.table.version}${b.region}${b.table.source}`
        ? -1
        : 1,
    );
  if (mine.length === 0) {
    const nulls = viewColumns(view).map(
      (c) => `${typedNull(undefined, c.type)} AS ${trinoIdentifier(c.name)}`,
    );
    return `SELECT\n  ${nulls.join(',\n  ')}\nWHERE false`;
  }
  return mine.map((p) => branchSql(view, p)).join('\nUNION ALL\n');
}

/** `CREATE OR REPLACE VIEW <name> AS <select>` in Trino SQL, for Athena. */
export function ocsfViewSql(view: OcsfView, present: readonly PresentTable[]): string {
  return `CREATE OR REPLACE VIEW ${view.name} AS\n${ocsfViewSelect(view, present)}`;
}
