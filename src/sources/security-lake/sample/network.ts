/**
 * VPC Flow Logs, Route 53 Resolver queries and WAF requests for the Security Lake sample, per
 * account, Region and hour, each drawn from its own seeded stream: a few busy talkers inside the
 * VPC, internet scanners whose probes of 22, 23, 3389 and 445 are rejected, DNS mostly to common
 * domains with a rare one now and then, WAF requests with some blocked by a rule.
 */
import { Random } from '../../sample-random.ts';
import type { Placed } from './ocsf-from-cloudtrail.ts';

type Json = Record<string, unknown>;

const HOUR = 3_600_000;
const COMMON_DOMAINS = [
  's3.amazonaws.com.',
  'sts.amazonaws.com.',
  'dynamodb.us-east-1.amazonaws.com.',
  'api.github.com.',
  'registry.npmjs.org.',
  'ssm.us-east-1.amazonaws.com.',
  'logs.us-east-1.amazonaws.com.',
];
/** Where a rare name is: each one drawn is new (a beacon's generated name, a mining pool's host). */
const RARE_ZONES = ['dyn-sample.org.', 'cdn-files-sample.net.', 'minexmr-sample.com.'];
const PROBED_PORTS = [22, 23, 3389, 445];

/** The VPC of an account and Region, with its instances. */
function vpcOf(seed: number, accountId: string, region: string) {
  const rng = new Random(seed, 'security-lake-vpc', accountId, region);
  const octet = rng.int(1, 250);
  return {
    vpc: `vpc-${rng.hex(17)}`,
    subnet: `subnet-${rng.hex(17)}`,
    instances: Array.from({ length: 4 }, (_, i) => ({
      ip: `10.${octet}.${i + 1}.${rng.int(4, 250)}`,
      eni: `eni-${rng.hex(17)}`,
      id: `i-${rng.hex(17)}`,
    })),
  };
}

/** The hour's flows, queries and requests of one account and Region, in OCSF of the version asked for. */
export function networkHour(
  seed: number,
  accountId: string,
  region: string,
  hourStart: number,
  version: 1 | 2,
): { flows: Placed[]; dns: Placed[]; waf: Placed[] } {
  const rng = new Random(seed, 'security-lake-network', accountId, region, hourStart);
  const vpc = vpcOf(seed, accountId, region);
  const flows: Placed[] = [];
  const flowCount = rng.int(10, 18);
  for (let i = 0; i < flowCount; i++) {
    const time = hourStart + rng.int(0, HOUR / 1000 - 61) * 1000;
    const instance = rng.pick(vpc.instances);
    const probe = rng.chance(0.3);
    const src = probe ? rng.ipv4() : rng.pick(vpc.instances).ip;
    const dstPort = probe ? rng.pick(PROBED_PORTS) : rng.pick([443, 443, 443, 5432, 8080]);
    const accepted = !probe;
    const packets = probe ? rng.int(1, 3) : rng.int(10, 4000);
    const bytes = probe ? packets * 40 : packets * rng.int(60, 1400);
    flows.push(
      flowRecord(version, {
        accountId,
        region,
        time,
        src,
        dst: instance.ip,
        dstPort,
        srcPort: rng.int(1024, 65535),
        accepted,
        packets,
        bytes,
        eni: instance.eni,
        vpc: vpc.vpc,
        subnet: vpc.subnet,
        instance: instance.id,
      }),
    );
  }
  const dns: Placed[] = [];
  const queryCount = rng.int(6, 12);
  for (let i = 0; i < queryCount; i++) {
    const time = hourStart + rng.int(0, HOUR / 1000 - 1) * 1000;
    const hostname = rng.chance(0.01)
      ? `${rng.lowerAlnum(10)}.${rng.pick(RARE_ZONES)}`
      : rng.pick(COMMON_DOMAINS);
    const instance = rng.pick(vpc.instances);
    dns.push(
      dnsRecord(version, {
        accountId,
        region,
        time,
        hostname,
        src: instance.ip,
        vpc: vpc.vpc,
        answer: `52.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
      }),
    );
  }
  const waf: Placed[] = [];
  if (version === 2) {
    const requests = rng.int(3, 8);
    for (let i = 0; i < requests; i++) {
      const time = hourStart + rng.int(0, HOUR / 1000 - 1) * 1000;
      const blocked = rng.chance(0.2);
      waf.push(
        wafRecord({
          accountId,
          region,
          time,
          blocked,
          ip: rng.ipv4(),
          path: blocked
            ? rng.pick(['/wp-login.php', '/.env', '/admin'])
            : rng.pick(['/', '/api/orders', '/health']),
        }),
      );
    }
  }
  return { flows, dns, waf };
}

function metadata(version: 1 | 2, name: string, feature: string): Json {
  return {
    product: { version: version === 1 ? '5' : '5', name, vendor_name: 'AWS', feature: { name: feature } },
    profiles: version === 1 ? ['cloud', 'security_control'] : ['cloud', 'security_control', 'datetime'],
    version: version === 1 ? '1.0.0-rc.2' : '1.1.0',
  };
}

function cloud(version: 1 | 2, accountId: string, region: string): Json {
  return version === 1
    ? { account_uid: accountId, region, provider: 'AWS' }
    : { account: { uid: accountId }, region, provider: 'AWS' };
}

function flowRecord(
  version: 1 | 2,
  f: {
    accountId: string;
    region: string;
    time: number;
    src: string;
    dst: string;
    srcPort: number;
    dstPort: number;
    accepted: boolean;
    packets: number;
    bytes: number;
    eni: string;
    vpc: string;
    subnet: string;
    instance: string;
  },
): Placed {
  const activity = f.accepted ? { id: 6, name: 'Traffic' } : { id: 5, name: 'Refuse' };
  const record: Json = {
    metadata: metadata(version, 'Amazon VPC', 'Flowlogs'),
    cloud: cloud(version, f.accountId, f.region),
    src_endpoint: { ip: f.src, port: f.srcPort },
    dst_endpoint: {
      ip: f.dst,
      port: f.dstPort,
      interface_uid: f.eni,
      vpc_uid: f.vpc,
      subnet_uid: f.subnet,
      instance_uid: f.instance,
    },
    connection_info: { protocol_num: 6, direction: 'Inbound', direction_id: 1 },
    traffic: { packets: f.packets, bytes: f.bytes },
    time: f.time,
    start_time: f.time - 50_000,
    end_time: f.time,
    status_code: 'OK',
    severity_id: 1,
    severity: 'Informational',
    class_name: 'Network Activity',
    class_uid: 4001,
    category_name: 'Network Activity',
    category_uid: 4,
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: 400100 + activity.id,
    type_name: `Network Activity: ${activity.name}`,
    disposition: f.accepted ? 'Allowed' : 'Blocked',
    disposition_id: f.accepted ? 1 : 2,
    unmapped: {},
  };
  if (version === 2) {
    record.action = f.accepted ? 'Allowed' : 'Denied';
    record.action_id = f.accepted ? 1 : 2;
    record.time_dt = new Date(f.time).toISOString();
  }
  return { time: f.time, accountId: f.accountId, region: f.region, record };
}

function dnsRecord(
  version: 1 | 2,
  q: {
    accountId: string;
    region: string;
    time: number;
    hostname: string;
    src: string;
    vpc: string;
    answer: string;
  },
): Placed {
  const record: Json = {
    metadata: metadata(version, 'Route 53', 'Resolver Query Logs'),
    cloud: cloud(version, q.accountId, q.region),
    src_endpoint: { vpc_uid: q.vpc, ip: q.src, port: 53000 },
    time: q.time,
    query: { hostname: q.hostname, type: 'A', class: 'IN' },
    answers: [{ type: 'A', rdata: q.answer, class: 'IN' }],
    connection_info: { protocol_name: 'UDP', direction: 'Unknown', direction_id: 0 },
    severity_id: 1,
    severity: 'Informational',
    class_name: 'DNS Activity',
    class_uid: 4003,
    category_name: 'Network Activity',
    category_uid: 4,
    rcode_id: 0,
    rcode: 'NoError',
    activity_id: 2,
    activity_name: 'Response',
    type_name: 'DNS Activity: Response',
    type_uid: 400302,
    disposition: 'No Action',
    disposition_id: 16,
    unmapped: {},
  };
  if (version === 2) record.time_dt = new Date(q.time).toISOString();
  return { time: q.time, accountId: q.accountId, region: q.region, record };
}

function wafRecord(w: {
  accountId: string;
  region: string;
  time: number;
  blocked: boolean;
  ip: string;
  path: string;
}): Placed {
  const record: Json = {
    metadata: metadata(2, 'AWS WAF', 'Web ACL'),
    cloud: cloud(2, w.accountId, w.region),
    time: w.time,
    time_dt: new Date(w.time).toISOString(),
    src_endpoint: { ip: w.ip },
    http_request: {
      http_method: 'GET',
      url: { hostname: 'shop.example.com', path: w.path, scheme: 'https' },
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64)',
      version: 'HTTP/1.1',
    },
    http_response: { code: w.blocked ? 403 : 200 },
    firewall_rule: {
      uid: w.blocked ? 'AWS-AWSManagedRulesCommonRuleSet' : 'Default_Action',
      type: w.blocked ? 'MANAGED_RULE_GROUP' : 'REGULAR',
    },
    action: w.blocked ? 'Denied' : 'Allowed',
    action_id: w.blocked ? 2 : 1,
    disposition: w.blocked ? 'Blocked' : 'Allowed',
    disposition_id: w.blocked ? 2 : 1,
    severity_id: 1,
    severity: 'Informational',
    class_name: 'HTTP Activity',
    class_uid: 4002,
    category_name: 'Network Activity',
    category_uid: 4,
    activity_id: 3,
    activity_name: 'Get',
    type_uid: 400203,
    type_name: 'HTTP Activity: Get',
    unmapped: {},
  };
  return { time: w.time, accountId: w.accountId, region: w.region, record };
}
