/**
 * Source version 2 (OCSF 1.1.0): each table's columns in Hive types, written from the OCSF 1.1
 * classes (ocsf/ocsf-schema, Apache-2.0) that Security Lake maps each source to, with the shapes
 * of Security Lake's own 1.1.0 record (test/fixtures/real/ocsf/security-lake-samples/1.1.0) where
 * it has them. A table holds the attributes of every class its source is mapped to; a column a
 * record lacks is NULL. Not every optional OCSF attribute is here: the ones Security Lake's AWS
 * mappings fill are.
 */

const struct = (fields: Record<string, string>) =>
  `struct<${Object.entries(fields)
    .map(([k, v]) => `${k}:${v}`)
    .join(',')}>`;
const array = (t: string) => `array<${t}>`;

const METADATA = struct({
  product: struct({
    name: 'string',
    vendor_name: 'string',
    version: 'string',
    uid: 'string',
    feature: struct({ name: 'string', uid: 'string' }),
  }),
  profiles: array('string'),
  version: 'string',
  uid: 'string',
  log_level: 'string',
  event_code: 'string',
  processed_time: 'bigint',
});
const ACCOUNT = struct({ uid: 'string', name: 'string', type: 'string' });
const CLOUD = struct({ account: ACCOUNT, region: 'string', provider: 'string', zone: 'string' });
const ENDPOINT = struct({
  ip: 'string',
  port: 'int',
  hostname: 'string',
  domain: 'string',
  uid: 'string',
  svc_name: 'string',
  instance_uid: 'string',
  interface_uid: 'string',
  vpc_uid: 'string',
  subnet_uid: 'string',
  intermediate_ips: array('string'),
});
const USER = struct({
  type: 'string',
  type_id: 'int',
  name: 'string',
  uid: 'string',
  uid_alt: 'string',
  credential_uid: 'string',
  account: ACCOUNT,
  groups: array('string'),
});
const SESSION = struct({
  created_time: 'bigint',
  mfa: 'boolean',
  issuer: 'string',
  uid: 'string',
  credential_uid: 'string',
  is_mfa: 'boolean',
});
const ACTOR = struct({
  user: USER,
  session: SESSION,
  invoked_by: 'string',
  idp: struct({ name: 'string' }),
  app_name: 'string',
});
const CONTAINER = struct({
  name: 'string',
  image: struct({ name: 'string', path: 'string', uid: 'string' }),
});
const API = struct({
  operation: 'string',
  version: 'string',
  service: struct({ name: 'string' }),
  request: struct({ uid: 'string', containers: array(CONTAINER) }),
  response: struct({
    code: 'int',
    error: 'string',
    error_message: 'string',
    message: 'string',
    containers: array(CONTAINER),
  }),
  group: struct({ name: 'string' }),
});
const URL = struct({
  hostname: 'string',
  path: 'string',
  query_string: 'string',
  scheme: 'string',
  port: 'int',
  url_string: 'string',
});
const HTTP_REQUEST = struct({
  url: URL,
  user_agent: 'string',
  http_method: 'string',
  version: 'string',
  uid: 'string',
  args: 'string',
  http_headers: array(struct({ name: 'string', value: 'string' })),
});
const RESOURCE = struct({
  uid: 'string',
  name: 'string',
  type: 'string',
  namespace: 'string',
  version: 'string',
  region: 'string',
  cloud_partition: 'string',
  labels: array('string'),
  data: 'string',
  owner: struct({ uid: 'string', account: ACCOUNT }),
});
const CONNECTION_INFO = struct({
  direction: 'string',
  direction_id: 'int',
  protocol_name: 'string',
  protocol_num: 'int',
  protocol_ver_id: 'int',
  tcp_flags: 'int',
  boundary: 'string',
  boundary_id: 'int',
  uid: 'string',
});
const OBSERVABLES = array(struct({ name: 'string', value: 'string', type: 'string', type_id: 'int' }));

/** The attributes every OCSF 1.1 event has (base event, cloud and datetime profiles). */
const BASE: Record<string, string> = {
  metadata: METADATA,
  time: 'bigint',
  time_dt: 'timestamp',
  start_time: 'bigint',
  start_time_dt: 'timestamp',
  end_time: 'bigint',
  end_time_dt: 'timestamp',
  cloud: CLOUD,
  class_name: 'string',
  class_uid: 'int',
  category_name: 'string',
  category_uid: 'int',
  activity_name: 'string',
  activity_id: 'int',
  type_name: 'string',
  type_uid: 'bigint',
  severity: 'string',
  severity_id: 'int',
  status: 'string',
  status_id: 'int',
  status_code: 'string',
  status_detail: 'string',
  message: 'string',
  observables: OBSERVABLES,
  unmapped: 'map<string,string>',
};

/** API Activity 6003, Authentication 3002 and Account Change 3001, as CloudTrail and EKS audit logs map to them. */
const AUDIT: Record<string, string> = {
  actor: ACTOR,
  api: API,
  http_request: HTTP_REQUEST,
  src_endpoint: ENDPOINT,
  dst_endpoint: ENDPOINT,
  resources: array(RESOURCE),
  user: USER,
  is_mfa: 'boolean',
  auth_protocol: 'string',
  auth_protocol_id: 'int',
  logon_type: 'string',
  logon_type_id: 'int',
  session: SESSION,
  service: struct({ name: 'string', uid: 'string' }),
  policy: struct({ name: 'string', uid: 'string', desc: 'string', version: 'string' }),
};

const DISPOSITION: Record<string, string> = {
  action: 'string',
  action_id: 'int',
  disposition: 'string',
  disposition_id: 'int',
};

/** Network Activity 4001 (VPC Flow Logs). */
const NETWORK: Record<string, string> = {
  src_endpoint: ENDPOINT,
  dst_endpoint: ENDPOINT,
  connection_info: CONNECTION_INFO,
  traffic: struct({ bytes: 'bigint', packets: 'bigint' }),
  ...DISPOSITION,
};

/** DNS Activity 4003 (Route 53 Resolver query logs). */
const DNS: Record<string, string> = {
  src_endpoint: ENDPOINT,
  dst_endpoint: ENDPOINT,
  connection_info: CONNECTION_INFO,
  query: struct({ hostname: 'string', type: 'string', class: 'string', packet_uid: 'int' }),
  answers: array(
    struct({ rdata: 'string', type: 'string', class: 'string', ttl: 'int', flags: array('string') }),
  ),
  rcode: 'string',
  rcode_id: 'int',
  firewall_rule: struct({ uid: 'string', name: 'string', type: 'string' }),
  ...DISPOSITION,
};

/** HTTP Activity 4002 (AWS WAF logs). */
const HTTP: Record<string, string> = {
  src_endpoint: ENDPOINT,
  dst_endpoint: ENDPOINT,
  http_request: HTTP_REQUEST,
  http_response: struct({ code: 'int' }),
  firewall_rule: struct({
    uid: 'string',
    name: 'string',
    type: 'string',
    condition: 'string',
    match_location: 'string',
  }),
  ...DISPOSITION,
};

/** Detection 2004, Compliance 2003 and Vulnerability 2002 findings (Security Hub). */
const FINDINGS: Record<string, string> = {
  finding_info: struct({
    uid: 'string',
    title: 'string',
    desc: 'string',
    types: array('string'),
    created_time: 'bigint',
    modified_time: 'bigint',
    first_seen_time: 'bigint',
    last_seen_time: 'bigint',
    src_url: 'string',
    product_uid: 'string',
    related_events: array(struct({ uid: 'string', product_uid: 'string', type: 'string' })),
  }),
  compliance: struct({
    control: 'string',
    requirements: array('string'),
    standards: array('string'),
    status: 'string',
    status_id: 'int',
    status_code: 'string',
    status_detail: 'string',
  }),
  remediation: struct({
    desc: 'string',
    references: array('string'),
    kb_article_list: array(struct({ uid: 'string', title: 'string', src_url: 'string' })),
  }),
  resources: array(RESOURCE),
  vulnerabilities: array(
    struct({
      title: 'string',
      severity: 'string',
      vendor_name: 'string',
      cve: struct({ uid: 'string', cvss: array(struct({ base_score: 'double', version: 'string' })) }),
    }),
  ),
  confidence: 'string',
  confidence_id: 'int',
  risk_score: 'int',
};

const columns = (fields: Record<string, string>) =>
  Object.entries({ ...BASE, ...fields }).map(([name, type]) => ({ name, type }));

/** Source version 2: each table's columns, base attributes first. */
export const V2_COLUMNS = {
  cloud_trail_mgmt: columns(AUDIT),
  eks_audit: columns(AUDIT),
  route53: columns(DNS),
  sh_findings: columns(FINDINGS),
  vpc_flow: columns(NETWORK),
  waf: columns(HTTP),
} satisfies Record<string, readonly { readonly name: string; readonly type: string }[]>;
