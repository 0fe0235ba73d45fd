import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { FINDING_COLUMNS } from '../../src/reports/findings-row.ts';
import { captureIO } from '../support/capture-io.ts';
import { REAL_FIXTURES } from '../support/fixture-dirs.ts';
import { parseRfc4180 } from '../support/rfc4180-parse.ts';

const CAPTURES = path.join(REAL_FIXTURES, 'securityhub');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-report-findings-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lakeq report findings', () => {
  it('writes the CSV of the active findings of a folder of captured responses, and says so in one line', async () => {
    const out = path.join(dir, 'findings.csv');
    const io = captureIO();
    const args = ['report', 'findings', '--out', out, '--input', CAPTURES, '--severity', 'CRITICAL,HIGH'];
    expect(await main(args, io)).toBe(0);
    expect(io.stdout()).toBe(
      `wrote 2 active findings (1 CRITICAL, 1 HIGH) to ${out} from 5 captured files in ${CAPTURES}\n`,
    );
    const records = parseRfc4180(await readFile(out, 'utf8'));
    expect(records[0]).toEqual([...FINDING_COLUMNS]);
    expect(records.slice(1).map((r) => [r[4], r[8]])).toEqual([
      ['CRITICAL', 'IAM.6'],
      ['HIGH', '1.22'],
    ]);
    // The CIS title has quotes: quoted and doubled in the file, whole when read back.
    expect(records[2]?.[3]).toBe(
      '1.22 Ensure IAM policies that allow full "*:*" administrative privileges are not created',
    );
  });

  it('writes JSON with --format json, and a window keeps findings last observed in it', async () => {
    const out = path.join(dir, 'findings.json');
    const io = captureIO();
    const args = [
      'report',
      'findings',
      '--out',
      out,
      '--input',
      CAPTURES,
      '--format',
      'json',
      '--from',
      '2020-12-01',
      '--to',
      '2021-01-01',
    ];
    expect(await main(args, io)).toBe(0);
    const rows = JSON.parse(await readFile(out, 'utf8')) as { control_id: string }[];
    expect(rows.map((r) => r.control_id)).toEqual(['IAM.6', 'RDS.4']);
  });

  it('refuses bad options with one line and exit 2, and a missing view with exit 1', async () => {
    const cases: [string[], string][] = [
      [['report', 'findings', '--input', CAPTURES], '--out FILE is required'],
      [
        ['report', 'findings', '--out', 'x.csv', '--format', 'xlsx'],
        '--format must be csv or json (got "xlsx")',
      ],
      [['report', 'findings', '--out', 'x.csv', '--severity', 'urgent'], '--severity must be among'],
      [
        ['report', 'findings', '--out', 'x.csv', '--from', '2026-12-01', '--to', '2026-11-01'],
        '--from must be before --to',
      ],
      [
        ['report', 'findings', '--out', 'x.csv', '--input', path.join(dir, 'absent')],
        'no such folder of captured Security Hub responses',
      ],
      [['report', 'weekly', '--out', 'x'], 'lakeq report knows two reports: identity-center, findings'],
    ];
    for (const [args, message] of cases) {
      const io = captureIO();
      expect(await main(args, io), args.join(' ')).toBe(2);
      expect(io.stderr()).toContain(message);
      expect(io.stderr().trim().split('\n')[0]).toMatch(/^lakeq: /);
    }
    const lake = captureIO();
    const args = [
      'report',
      'findings',
      '--out',
      path.join(dir, 'lake.csv'),
      '--input',
      'security-lake',
      '--data-dir',
      path.join(dir, 'data'),
    ];
    expect(await main(args, lake)).toBe(1);
    // The data folder has no Security Lake: the view reads no table, which is not a clean report.
    expect(lake.stderr()).toMatch(/^lakeq: Security Lake's ocsf_findings view has no findings at all/);
    const help = captureIO();
    expect(await main(['report', 'findings', '--help'], help)).toBe(0);
    expect(help.stdout()).toContain('--input security-hub');
  });
});

describe('lakeq run findings-report', () => {
  it('runs the state machine locally: the day’s CSV under the data folder, the log line, the status', async () => {
    const data = path.join(dir, 'run-data');
    const io = captureIO();
    const args = [
      'run',
      'findings-report',
      '--time',
      '2026-11-30T08:00:00Z',
      '--input',
      CAPTURES,
      '--data-dir',
      data,
    ];
    expect(await main(args, io)).toBe(0);
    const file = path.join(data, 'reports', 'findings', 'findings-2026-11-30.csv');
    expect(io.stdout()).toBe(
      `lakeq findings report 2026-11-30: 3 active findings: ${file} (not mailed: SNS is AWS only)\nfindings-report-2026-11-30 SUCCEEDED\n`,
    );
    expect(parseRfc4180(await readFile(file, 'utf8'))).toHaveLength(4);
    const bad = captureIO();
    expect(
      await main(['run', 'findings-report', '--time', 'soon', '--input', CAPTURES, '--data-dir', data], bad),
    ).toBe(1);
    expect(bad.stdout()).toBe('findings-report-now FAILED\n');
    expect(bad.stderr()).toContain('"time": "soon" is not a date');
  });
});
