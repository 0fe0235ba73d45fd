import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AwsSecurityFinding, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbEngine } from '../../src/engines/duckdb/duckdb-engine.ts';
import type { Engine } from '../../src/engines/engine.ts';
import { findingRowFromAsff, latestFindings } from '../../src/reports/asff-finding.ts';
import { toCsv } from '../../src/reports/csv.ts';
import { capturedFindings } from '../../src/reports/findings-captured.ts';
import { parseFindingsFilter, securityHubFilters } from '../../src/reports/findings-filter.ts';
import {
  findingsReport,
  renderFindings,
  severityCounts,
  writeFindingsFile,
} from '../../src/reports/findings-report.ts';
import { FINDING_COLUMNS, type FindingRow } from '../../src/reports/findings-row.ts';
import { securityLakeFindingsSql } from '../../src/reports/findings-security-lake.ts';
import { GET_FINDINGS_PAGE_SIZE, securityHubFindings } from '../../src/reports/findings-securityhub.ts';
import { expectValidCommands } from '../support/aws-model-validator.ts';
import { REAL_FIXTURES } from '../support/fixture-dirs.ts';
import { parseRfc4180 } from '../support/rfc4180-parse.ts';

const SECURITYHUB = path.join(REAL_FIXTURES, 'securityhub');

/** Every ASFF finding of the real fixtures, read here without the code under test. */
async function fixtureFindings(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const sub of ['api-responses', 'asff-samples']) {
    for (const name of (await readdir(path.join(SECURITYHUB, sub))).sort()) {
      if (!name.endsWith('.json')) continue;
      const json = JSON.parse(await readFile(path.join(SECURITYHUB, sub, name), 'utf8'));
      out.push(...(json.Findings ?? json.detail.findings));
    }
  }
  return out;
}

const row = (over: Partial<FindingRow>): FindingRow => ({
  ...(Object.fromEntries(FINDING_COLUMNS.map((c) => [c, null])) as FindingRow),
  record_state: 'ACTIVE',
  ...over,
});

describe('the findings report from captured Security Hub responses (the real fixtures)', () => {
  it('has one row per active finding, its latest state, most severe first, with the ASFF fields in their columns', async () => {
    const report = await findingsReport({ kind: 'captured', dir: SECURITYHUB }, {});
    const all = await fixtureFindings();
    // Counted apart: distinct ids; an id whose records include an ARCHIVED one at its latest
    // UpdatedAt is archived (EC2.8 is in the fixtures once active, once archived, same time).
    const ids = new Set(all.map((f) => f.Id as string));
    const active = [...ids].filter((id) => {
      const records = all.filter((f) => f.Id === id);
      const latest = Math.max(...records.map((f) => Date.parse(f.UpdatedAt as string)));
      return records
        .filter((f) => Date.parse(f.UpdatedAt as string) === latest)
        .every((f) => f.RecordState === 'ACTIVE');
    });
    expect(report.read).toBe(ids.size);
    expect(report.rows.map((r) => r.finding_id).sort()).toEqual(active.sort());
    expect(report.rows.map((r) => [r.severity, r.control_id])).toEqual([
      ['CRITICAL', 'IAM.6'],
      ['HIGH', '1.22'],
      ['MEDIUM', 'RDS.4'],
    ]);
    const iam6 = report.rows[0] as FindingRow;
    const source = all.find((f) => f.Id === iam6.finding_id) as unknown as {
      Id: string;
      AwsAccountId: string;
      Title: string;
      FirstObservedAt: string;
      LastObservedAt: string;
      ProductFields: Record<string, string>;
      Workflow: { Status: string };
      Compliance: { Status: string };
      Resources: { Type: string; Id: string }[];
      Remediation: { Recommendation: { Url: string } };
    };
    expect(iam6).toEqual({
      account_id: source.AwsAccountId,
      // No Region member: the Region of the finding's ARN.
      region: source.Id.split(':')[3],
      product_name: source.ProductFields['aws/securityhub/ProductName'],
      title: source.Title,
      severity: 'CRITICAL',
      workflow_status: source.Workflow.Status,
      record_state: 'ACTIVE',
      compliance_status: source.Compliance.Status,
      control_id: source.ProductFields.ControlId,
      resource_type: source.Resources[0]?.Type,
      resource_id: source.Resources[0]?.Id,
      first_observed: new Date(source.FirstObservedAt).toISOString(),
      last_observed: new Date(source.LastObservedAt).toISOString(),
      remediation_url: source.Remediation.Recommendation.Url,
      finding_id: source.Id,
    });
    expect(report.input).toBe(`5 captured files in ${SECURITYHUB}`);
    expect(report.warnings).toEqual([]);
  });

  it('names and skips the GetFindings page that is malformed upstream, and reads the rest', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-findings-'));
    try {
      const api = path.join(SECURITYHUB, 'api-responses');
      await copyFile(path.join(api, 'securityhub__get-findings.json'), path.join(dir, 'page-1.json'));
      await copyFile(
        path.join(api, 'securityhub__get-findings__1__RAW_MALFORMED.txt'),
        path.join(dir, 'page-2.json'),
      );
      await writeFile(path.join(dir, 'other.json'), JSON.stringify({ Jobs: [] }));
      await writeFile(path.join(dir, 'no-id.json'), JSON.stringify({ Findings: [{ Title: 'x' }] }));
      const captured = await capturedFindings(dir);
      expect(captured.findings).toHaveLength(1);
      expect(captured.skippedFindings).toBe(1);
      expect(captured.warnings).toEqual([
        `${path.join(dir, 'no-id.json')}: 1 finding(s) skipped, not ASFF findings with an Id`,
        expect.stringMatching(/other\.json: skipped, not a GetFindings output or a Security Hub event/),
        expect.stringMatching(/page-2\.json: skipped, not valid JSON/),
      ]);
      await expect(capturedFindings(path.join(dir, 'absent'))).rejects.toThrow(
        /absent: no such folder of captured Security Hub responses/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the CSV', () => {
  const tricky = [
    row({ title: 'S3.1, S3.2: "public" buckets', severity: 'HIGH', finding_id: 'a' }),
    row({ title: 'line one\nline two\r\nline three', severity: 'LOW', finding_id: 'b' }),
    row({ title: '"quoted"', remediation_url: 'https://x.example/?a=1,b=2', finding_id: 'c' }),
    row({ title: '  spaces kept  ', finding_id: 'd' }),
  ];

  it('parses back to the same cells (commas, quotes, CR/LF in titles), header first, CRLF records', () => {
    const csv = renderFindings(tricky, 'csv');
    const records = parseRfc4180(csv);
    expect(records[0]).toEqual([...FINDING_COLUMNS]);
    expect(records.slice(1)).toEqual(tricky.map((r) => FINDING_COLUMNS.map((c) => r[c] ?? '')));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe(FINDING_COLUMNS.join(','));
    // Only fields that need it are quoted.
    expect(toCsv([{ a: 'plain', b: 'x"y' }], ['a', 'b'])).toBe('a,b\r\nplain,"x""y"\r\n');
  });

  it('as JSON, the same rows', () => {
    expect(JSON.parse(renderFindings(tricky, 'json'))).toEqual(tricky);
  });

  it('is written whole to a file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-findings-'));
    try {
      const file = await writeFindingsFile(path.join(dir, 'findings.csv'), renderFindings(tricky, 'csv'));
      expect(parseRfc4180(await readFile(file, 'utf8'))).toHaveLength(tricky.length + 1);
      expect((await readdir(dir)).sort()).toEqual(['findings.csv']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the filter', () => {
  it('parses times, severities in any case and refuses bad ones in one line', () => {
    expect(
      parseFindingsFilter({ from: '2026-11-23', to: '2026-11-30T08', severity: 'critical, HIGH' }),
    ).toEqual({
      from: new Date('2026-11-23T00:00:00Z'),
      to: new Date('2026-11-30T08:00:00Z'),
      severities: ['CRITICAL', 'HIGH'],
    });
    expect(() => parseFindingsFilter({ severity: 'urgent' })).toThrow(
      '--severity must be among CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL (got "urgent")',
    );
    expect(() => parseFindingsFilter({ from: 'monday' })).toThrow(/--from must be a date/);
    expect(() => parseFindingsFilter({ from: '2026-11-30', to: '2026-11-23' })).toThrow(
      /--from must be before --to/,
    );
  });

  it('keeps active findings of the severities, last observed in [from, to)', async () => {
    const report = await findingsReport(
      { kind: 'captured', dir: SECURITYHUB },
      parseFindingsFilter({ severity: 'HIGH,CRITICAL', from: '2020-11-10', to: '2020-12-15T14:56:09.255Z' }),
    );
    // IAM.6 was last observed at 14:56:09.818, after `to`; RDS.4 is MEDIUM.
    expect(report.rows.map((r) => r.control_id)).toEqual(['1.22']);
  });

  it('asks Security Hub for the same: ACTIVE records, the labels, LastObservedAt with an inclusive end a millisecond before `to`', () => {
    const filters = securityHubFilters(
      parseFindingsFilter({ from: '2026-11-23', to: '2026-11-30', severity: 'critical' }),
    );
    expect(filters).toEqual({
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      SeverityLabel: [{ Value: 'CRITICAL', Comparison: 'EQUALS' }],
      LastObservedAt: [{ Start: '2026-11-23T00:00:00.000Z', End: '2026-11-29T23:59:59.999Z' }],
    });
  });

  it('keeps the latest state of a finding sent more than once', () => {
    const base = { Id: 'f1', AwsAccountId: '111122223333', Title: 't' };
    const latest = latestFindings([
      { ...base, UpdatedAt: '2026-11-02T00:00:00Z', RecordState: 'ACTIVE', Workflow: { Status: 'NOTIFIED' } },
      { ...base, UpdatedAt: '2026-11-01T00:00:00Z', RecordState: 'ACTIVE', Workflow: { Status: 'NEW' } },
    ]);
    expect(latest.map((f) => findingRowFromAsff(f).workflow_status)).toEqual(['NOTIFIED']);
    expect(
      severityCounts([row({ severity: 'LOW' }), row({ severity: 'CRITICAL' }), row({ severity: 'LOW' })]),
    ).toBe('1 CRITICAL, 2 LOW');
  });
});

describe('the Security Hub API', () => {
  const hub = mockClient(SecurityHubClient);
  const client = new SecurityHubClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  afterEach(() => hub.reset());
  afterAll(() => hub.restore());

  const finding = (n: number, state: 'ACTIVE' | 'ARCHIVED' = 'ACTIVE'): AwsSecurityFinding => ({
    SchemaVersion: '2018-10-08',
    GeneratorId: `aws-foundational-security-best-practices/v/1.0.0/S3.${n}`,
    CreatedAt: '2026-11-01T10:00:00.000Z',
    Description: 'a control finding',
    Id: `arn:aws:securityhub:eu-west-1:111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.${n}/finding/${n}`,
    ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub',
    AwsAccountId: '111122223333',
    Title: `S3.${n} finding, "number" ${n}`,
    Severity: { Label: n % 2 ? 'HIGH' : 'LOW', Normalized: n % 2 ? 70 : 1 },
    UpdatedAt: '2026-11-29T10:00:00.000Z',
    LastObservedAt: '2026-11-29T10:00:00.000Z',
    RecordState: state,
    Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::bucket-${n}` }],
  });

  it('follows NextToken page by page and retries while throttled; every request is one AWS accepts', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429 },
    });
    hub
      .on(GetFindingsCommand)
      .rejectsOnce(throttled)
      .resolvesOnce({ Findings: [finding(1), finding(2)], NextToken: 'page-2' })
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolvesOnce({ Findings: [finding(3)], NextToken: 'page-3' })
      .resolvesOnce({ Findings: [finding(4)] });
    const report = await findingsReport(
      { kind: 'security-hub', client, region: 'eu-west-1', retry: { minTimeoutMs: 1, maxTimeoutMs: 2 } },
      parseFindingsFilter({ severity: 'high,low', from: '2026-11-23', to: '2026-11-30' }),
    );
    const calls = hub.commandCalls(GetFindingsCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(6);
    expect(calls.map((c) => c.NextToken)).toEqual([
      undefined,
      undefined,
      'page-2',
      'page-2',
      'page-2',
      'page-3',
    ]);
    for (const c of calls) {
      expect(c.MaxResults).toBe(GET_FINDINGS_PAGE_SIZE);
      expect(c.Filters?.RecordState).toEqual([{ Value: 'ACTIVE', Comparison: 'EQUALS' }]);
    }
    expect(
      expectValidCommands(
        'securityhub',
        hub.calls().map((c) => c.args[0]),
      ),
    ).toBe(6);
    expect(report.rows.map((r) => r.finding_id?.split('/').pop())).toEqual(['1', '3', '2', '4']);
    expect(report.input).toBe('Security Hub GetFindings in eu-west-1 (3 pages)');
    // The product's name from its ARN when the finding names none.
    expect(report.rows[0]?.product_name).toBe('securityhub');
  });

  it('gives up on another error at once', async () => {
    hub
      .on(GetFindingsCommand)
      .rejects(Object.assign(new Error('not subscribed'), { name: 'InvalidAccessException' }));
    await expect(securityHubFindings(client, {}, { retry: { minTimeoutMs: 1 } })).rejects.toThrow(
      'not subscribed',
    );
    expect(hub.commandCalls(GetFindingsCommand)).toHaveLength(1);
  });
});

describe("Security Lake's ocsf_findings view", () => {
  let engine: Engine;
  // The view's contract (the Security Lake source builds it); here a DuckDB view of those columns.
  const versions = [
    // time, uid, title, severity, severity_id, workflow, record, last_observed
    ['2026-11-20 10:00:00', 'a', 'archived later', 'High', 4, 'NEW', 'ACTIVE', '2026-11-20 10:00:00'],
    ['2026-11-25 10:00:00', 'a', 'archived later', 'High', 4, 'RESOLVED', 'ARCHIVED', '2026-11-25 10:00:00'],
    [
      '2026-11-24 09:00:00',
      'b',
      'S3.8, "block" public\naccess',
      'High',
      4,
      'New',
      'Active',
      '2026-11-24 09:00:00',
    ],
    ['2026-11-22 08:00:00', 'c', 'root MFA', 'Critical', 5, 'NEW', 'ACTIVE', '2026-11-22 08:00:00'],
    ['2026-11-26 08:00:00', 'c', 'root MFA', 'Critical', 5, 'NOTIFIED', 'ACTIVE', '2026-11-26 08:00:00'],
    ['2026-11-10 08:00:00', 'd', 'old low', 'Low', 2, 'NEW', 'ACTIVE', '2026-11-10 08:00:00'],
    // After `to`: as of the window's end, c was NOTIFIED, not SUPPRESSED.
    ['2026-12-05 08:00:00', 'c', 'root MFA', 'Critical', 5, 'SUPPRESSED', 'ACTIVE', '2026-12-05 08:00:00'],
  ] as const;

  beforeAll(async () => {
    const values = versions
      .map(
        ([time, uid, title, sev, sevId, wf, rs, last]) =>
          `(TIMESTAMP '${time}', 2003, '2', '111122223333', 'eu-west-1', '${uid}', '${title.replaceAll("'", "''")}', '${sev}', ${sevId}, 'Security Hub', '${wf}', '${rs}', 'FAILED', 'S3.8', 'AwsS3Bucket', 'arn:aws:s3:::b-${uid}', TIMESTAMP '2026-11-01 00:00:00', TIMESTAMP '${last}', 'https://docs.aws.amazon.com/console/securityhub/S3.8/remediation')`,
      )
      .join(',\n');
    engine = await createDuckDbEngine({
      setup: async (run) => {
        await run(`CREATE OR REPLACE VIEW ocsf_findings AS SELECT * FROM (VALUES ${values}) AS t(
          time, class_uid, source_version, account_id, region, finding_uid, finding_title, severity, severity_id,
          product_name, workflow_status, record_state, compliance_status, control_id, resource_type, resource_uid,
          first_observed, last_observed, remediation_url)`);
        await run('CREATE OR REPLACE VIEW ocsf_findings_empty AS SELECT * FROM ocsf_findings WHERE false');
      },
    });
  });
  afterAll(() => engine.close());

  it('gives the latest state per finding_uid as of `to`, active ones in the window, with the same columns', async () => {
    const report = await findingsReport(
      { kind: 'security-lake', engine },
      parseFindingsFilter({ from: '2026-11-15', to: '2026-12-01' }),
    );
    expect(report.rows.map((r) => [r.finding_id, r.severity, r.workflow_status, r.record_state])).toEqual([
      ['c', 'CRITICAL', 'NOTIFIED', 'ACTIVE'],
      ['b', 'HIGH', 'NEW', 'ACTIVE'],
    ]);
    expect(report.rows[1]).toEqual({
      account_id: '111122223333',
      region: 'eu-west-1',
      product_name: 'Security Hub',
      title: 'S3.8, "block" public\naccess',
      severity: 'HIGH',
      workflow_status: 'NEW',
      record_state: 'ACTIVE',
      compliance_status: 'FAILED',
      control_id: 'S3.8',
      resource_type: 'AwsS3Bucket',
      resource_id: 'arn:aws:s3:::b-b',
      first_observed: '2026-11-01T00:00:00.000Z',
      last_observed: '2026-11-24T09:00:00.000Z',
      remediation_url: 'https://docs.aws.amazon.com/console/securityhub/S3.8/remediation',
      finding_id: 'b',
    });
    const records = parseRfc4180(renderFindings(report.rows, 'csv'));
    expect(records[2]?.[3]).toBe('S3.8, "block" public\naccess');
  });

  it('filters severities in SQL, and without a window reads every latest state', async () => {
    const all = await findingsReport({ kind: 'security-lake', engine }, {});
    expect(all.rows.map((r) => [r.finding_id, r.workflow_status])).toEqual([
      ['c', 'SUPPRESSED'],
      ['b', 'NEW'],
      ['d', 'NEW'],
    ]);
    const low = await findingsReport(
      { kind: 'security-lake', engine },
      parseFindingsFilter({ severity: 'low' }),
    );
    expect(low.rows.map((r) => r.finding_id)).toEqual(['d']);
    expect(securityLakeFindingsSql({ severities: ['LOW'] })).toContain("severity_label IN ('LOW')");
  });

  it('says what is missing when the view is not there', async () => {
    await expect(
      findingsReport({ kind: 'security-lake', engine, view: 'ocsf_findings_absent' }, {}),
    ).rejects.toThrow(
      /Security Lake's ocsf_findings_absent view is not there .*set sources\["security-lake"\]/,
    );
  });

  it('says so when the view has no findings at all, rather than writing an empty report', async () => {
    await expect(
      findingsReport({ kind: 'security-lake', engine, view: 'ocsf_findings_empty' }, {}),
    ).rejects.toThrow(/ocsf_findings_empty view has no findings at all/);
    // Findings outside the window are not "no data": an empty window is an empty report.
    const none = await findingsReport(
      { kind: 'security-lake', engine },
      { from: new Date('2001-01-01T00:00:00Z'), to: new Date('2001-01-02T00:00:00Z') },
    );
    expect(none.rows).toEqual([]);
  });
});

describe('the folder layout of a report', () => {
  it('writes into a folder made for it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-findings-'));
    try {
      await mkdir(path.join(dir, 'out'));
      const file = await writeFindingsFile(path.join(dir, 'out', 'f.json'), renderFindings([], 'json'));
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
