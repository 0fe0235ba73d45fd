import { stat } from 'node:fs/promises';
import type { LocalCollect } from '../source-definition.ts';
import { emailHashKey, identityCenterSettingsSchema } from './collect/settings.ts';
import { collectIdentityCenterResult } from './collect.ts';

/**
 * The Identity Center collector of a local run (`SourceDefinition.collect`): captured API
 * responses (AWS CLI output, or `lakeq sample identity-center`) in the source's input, collected
 * into `<dataDir>/raw/identity-center` as the snapshot of the run's day (`window.now`). Every run
 * collects again (the folder is small); a day's files change only when the captured responses do.
 * No folder there means nothing to collect.
 *
 * @example
 * ```ts
 * await collectLocalIdentityCenter({ input: './lakeq-data/raw/identity-center-api', root: './lakeq-data/raw/identity-center', pricing: {} }, { from, to, now })
 * ```
 */
export const collectLocalIdentityCenter: LocalCollect = async ({ input, root, region, settings }, window) => {
  const found = await stat(input).catch(() => undefined);
  if (!found?.isDirectory())
    return { collected: false, reason: `captured Identity Center API responses in ${input}` };
  const own = identityCenterSettingsSchema.parse(settings ?? {});
  const { openCapturedIdentityCenterApi } = await import('./collect/captured-api.ts');
  return collectIdentityCenterResult({
    api: await openCapturedIdentityCenterApi(input, region ? { defaultRegion: region } : {}),
    root,
    regions: own.regions ?? [region ?? 'us-east-1'],
    now: window.now,
    hashKey: emailHashKey(own.hashEmails, process.env),
    signal: window.signal,
  });
};
