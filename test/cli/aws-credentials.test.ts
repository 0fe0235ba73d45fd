import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsErrorLine } from '../../src/cli/aws-errors.ts';
import { LakeqError } from '../../src/engines/engine.ts';

/*
 * Commands that need AWS, run as a user would on a machine with no AWS credentials: no
 * AWS_* variables, empty credentials and config files, no instance metadata service.
 */

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../../bin/lakeq.js');
let dir: string;
let env: NodeJS.ProcessEnv;
let deployFile: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-no-aws-'));
  await writeFile(path.join(dir, 'credentials'), '');
  await writeFile(path.join(dir, 'config'), '');
  deployFile = path.join(dir, 'lakeq.deploy.json');
  await writeFile(
    deployFile,
    JSON.stringify({
      accountId: '111122223333',
      region: 'eu-west-1',
      data: { bucket: 'my-lake' },
      trail: {
        bucket: 'my-trail',
        accounts: ['111122223333'],
        regions: ['eu-west-1'],
        startDate: '2026-01-01',
      },
      roles: {
        stateMachine: 'arn:aws:iam::111122223333:role/lakeq-states',
        lambda: 'arn:aws:iam::111122223333:role/lakeq-lambda',
        scheduler: 'arn:aws:iam::111122223333:role/lakeq-scheduler',
      },
    }),
  );
  env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  Object.assign(env, {
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs bin/lakeq.js in the temp folder (no lakeq.config.json there) and returns its exit code and output. */
async function lakeq(args: string[], extraEnv: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...env, ...extraEnv },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const churnOnAthena = [
  'query',
  'run',
  'identity-center/instance-churn',
  '--engine',
  'athena',
  '--param',
  'from=2026-11-01',
  '--param',
  'to=2026-11-02',
];

/** One line, no stack trace, and what the SDK read and how to set credentials. */
function expectNoCredentialsLine(stderr: string, profile: string) {
  expect(stderr).not.toContain('    at ');
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^lakeq: no AWS credentials: /);
  expect(stderr).toContain(profile);
  expect(stderr).toContain('Region eu-west-1');
  expect(stderr).toContain(`${path.join(dir, 'credentials')} and ${path.join(dir, 'config')}`);
  expect(stderr).toContain('"aws configure"');
  expect(stderr).toContain('AWS_PROFILE=NAME');
  expect(stderr).toContain('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
}

describe('a command that needs AWS, without credentials', () => {
  it('query run --engine athena: one line naming the profile, Region and files read; exit 1', async () => {
    const r = await lakeq(churnOnAthena, { AWS_REGION: 'eu-west-1' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expectNoCredentialsLine(r.stderr, 'profile "default" (AWS_PROFILE not set)');
  });

  it('deploy --dry-run: the same line, in the deploy file’s Region; exit 1', async () => {
    const r = await lakeq(['deploy', '--dry-run', '--deploy-config', deployFile]);
    expect(r.code).toBe(1);
    expectNoCredentialsLine(r.stderr, 'profile "default" (AWS_PROFILE not set)');
  });

  it('dashboards diff, with a profile from AWS_PROFILE that the files lack', async () => {
    const r = await lakeq(['dashboards', 'diff', '--deploy-config', deployFile], {
      AWS_PROFILE: 'analytics',
    });
    expect(r.code).toBe(1);
    expectNoCredentialsLine(r.stderr, 'profile "analytics" (from AWS_PROFILE)');
  });

  it('no Region either: says which settings were read and how to set one; exit 1', async () => {
    const r = await lakeq(churnOnAthena);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('    at ');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^lakeq: no AWS Region \(read: AWS_REGION and AWS_DEFAULT_REGION not set, /);
    expect(r.stderr).toContain(`no region for profile "default" in ${path.join(dir, 'config')}`);
    expect(r.stderr).toContain('Set AWS_REGION');
  });
});

describe('awsErrorLine', () => {
  const named = (name: string, message: string, extra: object = {}) =>
    Object.assign(new Error(message), { name }, extra);

  it('credentials AWS rejected, an unreachable endpoint, and any other service error: one line each', () => {
    const expired = named('ExpiredTokenException', 'The security token included in the request is expired', {
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'req-1' },
    });
    expect(awsErrorLine(expired, { profile: 'analytics' }, { AWS_PROFILE: 'analytics' })).toBe(
      'AWS rejected the credentials: ExpiredTokenException: The security token included in the request is expired ' +
        '(profile "analytics" (from AWS_PROFILE)). Set them with "aws configure" (or "aws sso login --profile NAME"), ' +
        'AWS_PROFILE=NAME, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    );
    const offline = named('Error', 'getaddrinfo ENOTFOUND athena.eu-west-1.amazonaws.com', {
      code: 'ENOTFOUND',
      hostname: 'athena.eu-west-1.amazonaws.com',
    });
    expect(awsErrorLine(offline, { region: 'eu-west-1' }, {})).toMatch(
      /^cannot reach AWS: getaddrinfo ENOTFOUND athena\.eu-west-1\.amazonaws\.com \(Region eu-west-1;/,
    );
    const denied = named(
      'AccessDeniedException',
      'User: arn:aws:iam::1:user/a is not authorized\nto perform',
      {
        $fault: 'client',
        $metadata: { httpStatusCode: 400, requestId: 'req-2' },
      },
    );
    expect(awsErrorLine(denied)).toBe(
      'AWS refused: AccessDeniedException: User: arn:aws:iam::1:user/a is not authorized to perform (request id req-2)',
    );
  });

  it('finds the SDK error behind a cause, and leaves lakeq’s own and other errors alone', () => {
    const wrapped = new Error('loading failed', {
      cause: named('CredentialsProviderError', 'Could not load credentials from any providers'),
    });
    expect(awsErrorLine(wrapped, { region: 'us-east-1' }, {})).toMatch(
      /^no AWS credentials: Could not load credentials from any providers \(read: profile "default" \(AWS_PROFILE not set\), Region us-east-1, no AWS_ACCESS_KEY_ID, ~\/\.aws\/credentials and ~\/\.aws\/config\)\. /,
    );
    expect(awsErrorLine(new LakeqError('BAD_OPTION', 'no'))).toBeUndefined();
    expect(awsErrorLine(new TypeError('x is undefined'))).toBeUndefined();
    expect(awsErrorLine('a string')).toBeUndefined();
  });
});
