import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda, type LambdaBundle } from '../../src/deploy/lambda-bundle.ts';

const execFileAsync = promisify(execFile);
const ENTRY = fileURLToPath(new URL('../../src/orchestration/lambda-entry.ts', import.meta.url));
let bundle: LambdaBundle;
let code: string;
let dir: string;

/** The one file of a stored (uncompressed) zip. */
function onlyFile(zip: Uint8Array): { name: string; text: string } {
  const buf = Buffer.from(zip);
  expect(buf.readUInt32LE(0)).toBe(0x04034b50);
  const size = buf.readUInt32LE(18);
  const nameLength = buf.readUInt16LE(26);
  const start = 30 + nameLength + buf.readUInt16LE(28);
  return {
    name: buf.subarray(30, 30 + nameLength).toString(),
    text: buf.subarray(start, start + size).toString(),
  };
}

beforeAll(async () => {
  // No `external`: a DuckDB import would have to be bundled, and its native addon cannot be.
  bundle = await bundleLambda(ENTRY);
  const file = onlyFile(bundle.zip);
  expect(file.name).toBe('index.mjs');
  code = file.text;
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-lambda-bundle-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the Lambda bundle of lambda-entry.ts', () => {
  it('holds no @duckdb module and leaves no package out', () => {
    expect(bundle.missingPackages).toEqual([]);
    expect(code).not.toContain('@duckdb');
    expect(code).toContain('node_modules/@aws-sdk/client-s3');
  });

  it('carries every AWS call of the code tasks: state, catalog, SPICE, Glue collector, alarms, launcher', () => {
    for (const command of [
      'GetPartitionsCommand',
      'ListIngestionsCommand',
      'GetJobRunsCommand',
      'GetMetricDataCommand',
      'PutMetricDataCommand',
      'StartQueryExecutionCommand',
      'StartExecutionCommand',
      // The findings report: Security Hub, the CSV's put and presigned GetObject, the mail.
      'GetFindingsCommand',
      'PublishCommand',
      'getSignedUrl',
    ]) {
      expect(code).toContain(command);
    }
  });

  it('runs: without LAKEQ_DATA_BUCKET it says so, since the local context is not in the bundle', async () => {
    const file = path.join(dir, 'index.mjs');
    await writeFile(file, code);
    // Node loads the bundle itself, as Lambda does (and faster than the test runner's transform).
    const run = async (event: unknown, env: Record<string, string>) => {
      const script = `import(${JSON.stringify(pathToFileURL(file).href)}).then((m) => m.handler(${JSON.stringify(event)}))
        .then((r) => console.log(JSON.stringify({ ok: r })), (e) => console.log(JSON.stringify({ error: e.message })))`;
      const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], {
        env: { PATH: process.env.PATH ?? '', ...env },
      });
      return JSON.parse(stdout) as { ok?: unknown; error?: string };
    };
    expect((await run({ action: 'recordRun' }, {})).error).toMatch(/LAKEQ_DATA_BUCKET is not set/);
    const aws = {
      LAKEQ_DATA_BUCKET: 'lakeq-lake',
      LAKEQ_CLOUDTRAIL_ROOT: 's3://org-trail',
      LAKEQ_AWS_ACCOUNT_ID: '111122223333',
    };
    expect((await run({ action: 'dropTables' }, aws)).error).toMatch(/unknown action "dropTables"/);
    expect((await run({ action: 'notifyFindingsReport', topicArn: 'mail-me' }, aws)).error).toMatch(
      /"topicArn" must be an SNS topic ARN/,
    );
  });
});
