import {
  type AwsSecurityFindingFilters,
  GetFindingsCommand,
  type GetFindingsCommandOutput,
} from '@aws-sdk/client-securityhub';
import { type AwsRetryOptions, withThrottlingRetry } from '../engines/aws-retry.ts';
import type { AsffFinding } from './asff-finding.ts';
import { type FindingsFilter, securityHubFilters } from './findings-filter.ts';

/** The most findings GetFindings returns per page (securityhub.service-2.json MaxResults). */
export const GET_FINDINGS_PAGE_SIZE = 100;

/** The Security Hub call the reader makes; a real `SecurityHubClient` fits. */
export interface SecurityHubLike {
  send(command: GetFindingsCommand): Promise<GetFindingsCommandOutput>;
}

/**
 * The findings Security Hub selects for a report filter (GetFindings with `Filters`: active
 * records, the severities, the window on LastObservedAt), every page followed, each call
 * retried with backoff while Security Hub throttles it (TooManyRequestsException, its
 * 3-requests-a-second quota); any other error is thrown at once. From the aggregation Region it
 * answers for every linked Region.
 *
 * @example
 * ```ts
 * const { findings, pages } = await securityHubFindings(new SecurityHubClient({ region: 'eu-west-1' }), { severities: ['CRITICAL'] });
 * ```
 */
export async function securityHubFindings(
  client: SecurityHubLike,
  filter: FindingsFilter,
  options: { readonly retry?: AwsRetryOptions; readonly signal?: AbortSignal } = {},
): Promise<{ findings: AsffFinding[]; pages: number }> {
  const Filters = securityHubFilters(filter) as AwsSecurityFindingFilters;
  const findings: AsffFinding[] = [];
  let pages = 0;
  let token: string | undefined;
  do {
    options.signal?.throwIfAborted();
    const page = await withThrottlingRetry(
      () =>
        client.send(
          new GetFindingsCommand({
            Filters,
            MaxResults: GET_FINDINGS_PAGE_SIZE,
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      { ...options.retry, signal: options.signal },
    );
    pages++;
    findings.push(...((page.Findings ?? []) as AsffFinding[]));
    token = page.NextToken || undefined;
  } while (token);
  return { findings, pages };
}
