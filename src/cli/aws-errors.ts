import { LakeqError } from '../engines/engine.ts';

/**
 * The AWS profile and Region a command configured its clients with (from lakeq.config.json,
 * lakeq.deploy.json or --region); unset ones fall back to the SDK's own environment.
 */
export interface AwsTarget {
  readonly profile?: string | undefined;
  readonly region?: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

const HOW_TO_SET_CREDENTIALS =
  'Set them with "aws configure" (or "aws sso login --profile NAME"), AWS_PROFILE=NAME, ' +
  'or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.';
const HOW_TO_SET_REGION =
  'Set AWS_REGION, "aws": {"region": "…"} in lakeq.config.json, or a region in the AWS profile ("aws configure").';

/** Errors from the SDK's credential and token providers (no AWS call was made). */
const PROVIDER_ERRORS = new Set(['CredentialsProviderError', 'TokenProviderError']);
/** Service answers that mean the credentials themselves are wrong or expired. */
const REJECTED_CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
]);
/** Network failures reaching an AWS endpoint. */
const NETWORK_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']);

interface AwsLikeError {
  name?: string;
  message?: string;
  code?: string;
  hostname?: string;
  cause?: unknown;
  $metadata?: { requestId?: string; httpStatusCode?: number };
  $fault?: string;
}

/**
 * One line for a person when `error` is an AWS setup problem: no credentials (with the profile,
 * Region and files the SDK read, and how to set them), no Region, credentials AWS rejected, an
 * endpoint that cannot be reached, or any other AWS service error; `undefined` otherwise. Looks
 * through `cause` chains; matches on names, so the AWS SDK is not loaded to check.
 *
 * @example
 * ```ts
 * awsErrorLine(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), { region: 'eu-west-1' }, {})
 * // 'no AWS credentials: Could not load credentials from any providers (read: profile "default" (AWS_PROFILE not set), Region eu-west-1, ~/.aws/credentials and ~/.aws/config). Set them with "aws configure" …'
 * ```
 */
export function awsErrorLine(
  error: unknown,
  target: AwsTarget = {},
  env: Env = process.env,
): string | undefined {
  for (
    let e = error as AwsLikeError | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as AwsLikeError, depth++
  ) {
    // lakeq's own errors already say what went wrong, for a person.
    if (typeof e !== 'object' || e instanceof LakeqError) return undefined;
    const name = e.name ?? '';
    const message = oneLine(e.message ?? '');
    if (PROVIDER_ERRORS.has(name)) {
      return `no AWS credentials: ${message} (read: ${whatWasRead(target, env)}). ${HOW_TO_SET_CREDENTIALS}`;
    }
    if (message === 'Region is missing') {
      return `no AWS Region (read: ${regionSources(target, env)}). ${HOW_TO_SET_REGION}`;
    }
    if (REJECTED_CREDENTIALS.has(name)) {
      return `AWS rejected the credentials: ${name}: ${message} (${profileRead(target, env)}). ${HOW_TO_SET_CREDENTIALS}`;
    }
    if (e.code && NETWORK_CODES.has(e.code) && (e.hostname ?? message).includes('amazonaws.com')) {
      return `cannot reach AWS: ${message} (Region ${target.region ?? env.AWS_REGION ?? 'not set'}; no network, a proxy, or a wrong Region?)`;
    }
    if (e.$metadata && e.$fault && name) {
      const id = e.$metadata.requestId ? ` (request id ${e.$metadata.requestId})` : '';
      return `AWS ${e.$fault === 'server' ? 'failed' : 'refused'}: ${name}: ${message}${id}`;
    }
  }
  return undefined;
}

/**
 * Runs `fn`, turning an AWS setup error ({@link awsErrorLine}) into a one-line `LakeqError`
 * (exit 1, no stack trace) that names the target's profile and Region.
 *
 * @example
 * ```ts
 * const plan = await withAwsErrors(config, async () => planDeploy(await openDeployClients(config), config));
 * ```
 */
export async function withAwsErrors<T>(target: AwsTarget, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const line = awsErrorLine(error, target);
    if (line === undefined) throw error;
    throw new LakeqError('AWS_SETUP', line, { cause: error });
  }
}

function whatWasRead(target: AwsTarget, env: Env): string {
  const keys = env.AWS_ACCESS_KEY_ID ? 'AWS_ACCESS_KEY_ID without a usable secret' : 'no AWS_ACCESS_KEY_ID';
  const region = target.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  return `${profileRead(target, env)}, Region ${region ?? 'not set'}, ${keys}, ${credentialFiles(env)}`;
}

function profileRead(target: AwsTarget, env: Env): string {
  if (target.profile !== undefined) {
    return `profile "${target.profile}" (from ${env.AWS_PROFILE === target.profile ? 'AWS_PROFILE' : 'lakeq.config.json'})`;
  }
  if (env.AWS_PROFILE) return `profile "${env.AWS_PROFILE}" (from AWS_PROFILE)`;
  return 'profile "default" (AWS_PROFILE not set)';
}

function regionSources(target: AwsTarget, env: Env): string {
  const profile = target.profile ?? env.AWS_PROFILE ?? 'default';
  return `AWS_REGION and AWS_DEFAULT_REGION not set, no "aws.region" in lakeq.config.json, no region for profile "${profile}" in ${env.AWS_CONFIG_FILE ?? '~/.aws/config'}`;
}

function credentialFiles(env: Env): string {
  return `${env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'} and ${env.AWS_CONFIG_FILE ?? '~/.aws/config'}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
