import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { type AwsSecurityFinding, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listPlaceholders, substitutePlaceholders } from '../../src/deploy/placeholders.ts';
import { type AslMachine, walkStates } from '../../src/orchestration/asl-definition.ts';
import { awsHandlerContext } from '../../src/orchestration/aws/aws-handler-context.ts';
import type { WrittenFindingsReport } from '../../src/orchestration/handlers/findings-report-action.ts';
import { dispatchAction } from '../../src/orchestration/handlers/index.ts';
import {
  LOCAL_FINDINGS_REPORT_TOPIC,
  readFindingsReportDefinition,
  runFindingsReportLocally,
} from '../../src/orchestration/run-findings-report.ts';
import { LOCAL_PLACEHOLDERS } from '../../src/orchestration/run-state-machine.ts';
import { FINDING_COLUMNS } from '../../src/reports/findings-row.ts';
import { presignedUrlExpiry, REPORT_LINK_MAX_SECONDS } from '../../src/reports/presigned-url-expiry.ts';
import { expectValidCommands, expectValidRequest } from '../support/aws-model-validator.ts';
import { REAL_FIXTURES } from '../support/fixture-dirs.ts';
import { parseRfc4180 } from '../support/rfc4180-parse.ts';
import { type FakeS3, fakeS3 } from './fake-s3.ts';

const aslValidator = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};
const CAPTURES = path.join(REAL_FIXTURES, 'securityhub');
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:lakeq-findings-report';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-findings-sm-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('statemachines/findings-report.asl.json', () => {
  it('is valid ASL as deployed and with the local values; its placeholders are the Lambda and the topic', async () => {
    const text = await readFindingsReportDefinition();
    expect(listPlaceholders(text).sort()).toEqual(['FindingsReportTopicArn', 'LambdaFunctionArn']);
    const local = substitutePlaceholders(text, {
      ...LOCAL_PLACEHOLDERS,
      FindingsReportTopicArn: LOCAL_FINDINGS_REPORT_TOPIC,
    });
    for (const definition of [JSON.parse(text), JSON.parse(local)]) {
      const { isValid, errorsText } = aslValidator(definition);
      expect(isValid, errorsText('\n')).toBe(true);
    }
    const machine = JSON.parse(local) as AslMachine;
    expect(machine.StartAt).toBe('WriteFindingsReport');
    expect(machine.States.WriteFindingsReport?.Next).toBe('NotifyFindingsReport');
    // Retried only for Lambda's own transient errors, with backoff, jitter and a cap.
    for (const { state } of walkStates(machine)) {
      for (const r of state.Retry ?? []) {
        for (const e of r.ErrorEquals)
          expect(e).toMatch(
            /^Lambda\.(ServiceException|AWSLambdaException|SdkClientException|TooManyRequestsException)$/,
          );
        expect(r).toMatchObject({ JitterStrategy: 'FULL', BackoffRate: 2 });
        expect(r.MaxDelaySeconds).toBeGreaterThan(0);
      }
    }
  });

  it('runs locally: writes the day’s CSV under the data folder and logs one line instead of the mail', async () => {
    const lines: string[] = [];
    const run = await runFindingsReportLocally(
      { time: '2026-11-30T08:00:00Z', severity: ['CRITICAL', 'HIGH', 'MEDIUM'] },
      { dataDir: dir, findings: { kind: 'captured', dir: CAPTURES }, log: (l) => lines.push(l) },
    );
    expect(run.status, JSON.stringify(run.error)).toBe('SUCCEEDED');
    expect(run.attempts).toEqual({ WriteFindingsReport: 1, NotifyFindingsReport: 1 });
    const file = path.join(dir, 'reports', 'findings', 'findings-2026-11-30.csv');
    expect(run.report?.location).toBe(file);
    const records = parseRfc4180(await readFile(file, 'utf8'));
    expect(records[0]).toEqual([...FINDING_COLUMNS]);
    expect(records.slice(1).map((r) => r[8])).toEqual(['IAM.6', '1.22', 'RDS.4']);
    expect(lines).toEqual([
      `lakeq findings report 2026-11-30: 3 active findings: ${file} (not mailed: SNS is AWS only)`,
    ]);
    expect((await readdir(path.join(dir, 'reports', 'findings'))).sort()).toEqual([
      'findings-2026-11-30.csv',
    ]);
    // The same day again replaces its report: still one file.
    const again = await runFindingsReportLocally(
      { time: '2026-11-30T09:00:00Z' },
      { dataDir: dir, findings: { kind: 'captured', dir: CAPTURES }, log: () => {} },
    );
    expect(again.status).toBe('SUCCEEDED');
    expect(await readdir(path.join(dir, 'reports', 'findings'))).toEqual(['findings-2026-11-30.csv']);
  });

  it('fails with the reason of a bad input, writing nothing', async () => {
    const run = await runFindingsReportLocally(
      { time: 'next monday' },
      { dataDir: dir, findings: { kind: 'captured', dir: CAPTURES }, log: () => {} },
    );
    expect(run.status).toBe('FAILED');
    // Lambda's error, as Step Functions reports it: its type and message in a JSON Cause.
    expect(JSON.parse(run.error?.Cause ?? '{}').errorMessage).toMatch(/^"time": "next monday" is not a date/);
    const format = await runFindingsReportLocally(
      { format: 'xlsx' },
      { dataDir: dir, findings: { kind: 'captured', dir: CAPTURES }, log: () => {} },
    );
    expect(JSON.parse(format.error?.Cause ?? '{}').errorMessage).toBe(
      '"format" must be csv or json (got "xlsx")',
    );
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('the presigned link’s lifetime', () => {
  const now = new Date('2026-11-30T08:00:00Z');
  it('is 24 hours, or less when the signing credentials expire sooner', () => {
    expect(presignedUrlExpiry(now, undefined)).toEqual({
      expiresInSeconds: REPORT_LINK_MAX_SECONDS,
      expiresAt: new Date('2026-12-01T08:00:00Z'),
      limitedByCredentials: false,
    });
    expect(presignedUrlExpiry(now, new Date('2026-12-02T00:00:00Z')).expiresInSeconds).toBe(86_400);
    expect(presignedUrlExpiry(now, new Date('2026-11-30T14:30:00.900Z'))).toEqual({
      expiresInSeconds: 6.5 * 3600,
      expiresAt: new Date('2026-11-30T14:30:00Z'),
      limitedByCredentials: true,
    });
    expect(() => presignedUrlExpiry(now, new Date('2026-11-30T08:00:30Z'))).toThrow(
      /too soon for a download link/,
    );
  });
});

describe('the report on AWS (mocked): Security Hub, S3, a presigned URL, SNS', () => {
  const hub = mockClient(SecurityHubClient);
  const sns = mockClient(SNSClient);
  let s3: FakeS3;
  beforeEach(() => {
    s3 = fakeS3();
    hub.reset();
    sns.reset();
  });
  afterAll(() => {
    hub.restore();
    sns.restore();
  });

  const finding = (n: number, title: string): AwsSecurityFinding => ({
    SchemaVersion: '2018-10-08',
    Id: `arn:aws:securityhub:eu-west-1:111122223333:security-control/S3.${n}/finding/${n}`,
    ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub',
    GeneratorId: `security-control/S3.${n}`,
    AwsAccountId: '111122223333',
    CreatedAt: '2026-11-01T00:00:00.000Z',
    UpdatedAt: '2026-11-29T00:00:00.000Z',
    Description: 'd',
    Title: title,
    Severity: { Label: 'HIGH' },
    RecordState: 'ACTIVE',
    Compliance: { Status: 'FAILED', SecurityControlId: `S3.${n}` },
    Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::b${n}` }],
  });

  function context(expiration: Date | undefined) {
    const s3Client = new S3Client({
      region: 'eu-west-1',
      credentials: async () => ({
        accessKeyId: 'ASIAEXAMPLE',
        secretAccessKey: 'secret',
        sessionToken: 'token',
        ...(expiration ? { expiration } : {}),
      }),
    });
    return awsHandlerContext({
      target: { bucket: 'lakeq-lake', prefix: 'lakeq', database: 'lakeq', workGroup: 'lakeq' },
      roots: {},
      accountId: '111122223333',
      findingsReport: {
        input: 'security-hub',
        clients: {
          s3: () => s3Client,
          securityHub: () => new SecurityHubClient({ region: 'eu-west-1' }),
          sns: () => new SNSClient({ region: 'eu-west-1' }),
        },
      },
    });
  }

  it('puts the CSV under reports/findings/, presigns it for 24 h at most, publishes the link; every request is valid', async () => {
    hub
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: [finding(1, 'Buckets, "public", and\nmore')], NextToken: 't' })
      .resolvesOnce({ Findings: [finding(2, 'plain')] });
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    // Credentials that end in 3 hours shorten the link to 3 hours.
    const expiration = new Date(Date.now() + 3 * 3600_000);
    const ctx = context(expiration);
    const written = (await dispatchAction(
      {
        action: 'writeFindingsReport',
        input: { time: '2026-11-30T08:00:00Z', severity: ['HIGH'] },
        executionName: 'x',
      },
      ctx,
    )) as WrittenFindingsReport;
    const key = 'lakeq/reports/findings/findings-2026-11-30.csv';
    expect(written.location).toBe(`s3://lakeq-lake/${key}`);
    const stored = s3.buckets.get('lakeq-lake')?.get(key)?.body ?? '';
    expect(
      parseRfc4180(stored)
        .slice(1)
        .map((r) => [r[3], r[8]]),
    ).toEqual([
      ['Buckets, "public", and\nmore', 'S3.1'],
      ['plain', 'S3.2'],
    ]);
    const put = s3.calls.find((c) => c.operation === 'PutObject')?.input as { ContentType?: string };
    expect(put.ContentType).toBe('text/csv; charset=utf-8');

    const url = new URL(written.link?.url ?? '');
    expect(url.hostname).toBe('lakeq-lake.s3.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe(`/${key}`);
    const expires = Number(url.searchParams.get('X-Amz-Expires'));
    expect(expires).toBeLessThanOrEqual(3 * 3600);
    expect(expires).toBeGreaterThan(3 * 3600 - 120);
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('token');
    expect(written.link?.limitedByCredentials).toBe(true);
    expect(Math.abs(Date.parse(written.link?.expiresAt ?? '') - expiration.getTime())).toBeLessThan(2000);
    expect(written.message).toContain(written.link?.url);
    expect(written.message).toContain('when the credentials that signed the link expire');

    const notified = await dispatchAction(
      { action: 'notifyFindingsReport', topicArn: TOPIC, report: written },
      ctx,
    );
    expect(notified).toEqual({ published: true, messageId: 'm-1' });
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish).toMatchObject({
      TopicArn: TOPIC,
      Subject: 'lakeq findings report 2026-11-30: 2 active findings',
    });
    expect(publish?.Message).toContain(written.link?.url);

    expect(
      expectValidCommands(
        'securityhub',
        hub.calls().map((c) => c.args[0]),
      ),
    ).toBe(2);
    expect(
      expectValidCommands(
        'sns',
        sns.calls().map((c) => c.args[0]),
      ),
    ).toBe(1);
    // fake-s3 checks each S3 request against the S3 model as it serves it.
    expect(s3.calls.map((c) => c.operation)).toEqual(['PutObject']);
  });

  it('long-lived credentials leave the 24 hours; unknown expiry of temporary ones says "at most"', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [finding(1, 't')] });
    const far = await dispatchAction(
      { action: 'writeFindingsReport', input: { time: '2026-11-30T08:00:00Z' } },
      context(new Date(Date.now() + 36 * 3600_000)),
    );
    const link = (far as WrittenFindingsReport).link;
    expect(new URL(link?.url ?? '').searchParams.get('X-Amz-Expires')).toBe(String(REPORT_LINK_MAX_SECONDS));
    expect(link?.limitedByCredentials).toBe(false);
    const unknown = (await dispatchAction(
      { action: 'writeFindingsReport', input: { time: '2026-11-30T08:00:00Z' } },
      context(undefined),
    )) as WrittenFindingsReport;
    expect(unknown.link?.atMost).toBe(true);
    expect(unknown.message).toContain('valid until at most');
  });

  it('through the Lambda entry: credentials from the environment with their expiration shorten the link', async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [finding(1, 'one')] });
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    const expires = new Date(Date.now() + 2 * 3600_000);
    const env = {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'ASIAENVEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'env-token',
      AWS_CREDENTIAL_EXPIRATION: expires.toISOString(),
      LAKEQ_DATA_BUCKET: 'lakeq-lake',
      LAKEQ_DATA_PREFIX: 'lakeq',
      LAKEQ_CLOUDTRAIL_ROOT: 's3://org-trail',
      LAKEQ_AWS_ACCOUNT_ID: '111122223333',
      LAKEQ_DATA_DIR: dir,
    };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const { handler } = await import('../../src/orchestration/lambda-entry.ts');
      const written = (await handler({
        action: 'writeFindingsReport',
        input: { time: '2026-11-30T08:00:00Z' },
      })) as WrittenFindingsReport;
      const url = new URL(written.link?.url ?? '');
      expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(2 * 3600);
      expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeGreaterThan(2 * 3600 - 120);
      expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^ASIAENVEXAMPLE\//);
      expect(s3.buckets.get('lakeq-lake')?.has('lakeq/reports/findings/findings-2026-11-30.csv')).toBe(true);
      // The presigned request is a GetObject AWS accepts.
      expectValidRequest('s3', 'GetObject', {
        Bucket: url.hostname.split('.')[0],
        Key: url.pathname.slice(1),
      });
      expect(await handler({ action: 'notifyFindingsReport', topicArn: TOPIC, report: written })).toEqual({
        published: true,
        messageId: 'm-2',
      });
      process.env.LAKEQ_FINDINGS_INPUT = 'guardduty';
      await expect(handler({ action: 'writeFindingsReport', input: {} })).rejects.toThrow(
        'LAKEQ_FINDINGS_INPUT must be security-hub or security-lake (got "guardduty")',
      );
    } finally {
      delete process.env.LAKEQ_FINDINGS_INPUT;
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('refuses a notify without an SNS topic ARN', async () => {
    await expect(
      dispatchAction(
        { action: 'notifyFindingsReport', topicArn: 'lakeq', report: { subject: 's', message: 'm' } },
        context(undefined),
      ),
    ).rejects.toThrow(/"topicArn" must be an SNS topic ARN/);
    expect(sns.calls()).toHaveLength(0);
  });
});
