import type { SourceDefinition } from '../source-definition.ts';
import { identityCenterSettingsSchema } from './collect/settings.ts';
import { identityCenterAws } from './raw-athena.ts';
import { IDENTITY_CENTER_RELATIONS } from './schema.ts';
import { identityCenterApplicationAssignments } from './tables/identity-center-application-assignments.ts';
import { identityCenterApplications } from './tables/identity-center-applications.ts';
import { identityCenterInstances } from './tables/identity-center-instances.ts';
import { identityCenterUsers } from './tables/identity-center-users.ts';

/**
 * IAM Identity Center: the inventory of instances, users, applications and their assignments in
 * every account of the organization, collected from the Organizations, sso-admin and
 * identitystore APIs (or captured responses locally) into daily snapshot files, and the daily
 * snapshot tables loaded from them. The instance churn comes from CloudTrail (../cloudtrail).
 */
export const identityCenterSource: SourceDefinition = {
  name: 'identity-center',
  title: 'Identity Center',
  inputs: 'collected',
  input: {
    defaultFolder: 'identity-center-api',
    description:
      'captured Organizations, sso-admin and identitystore responses: accounts/, instances/, users/, applications/, application-assignments/ (AWS CLI output)',
  },
  rawSources: IDENTITY_CENTER_RELATIONS.map((r) => r.source),
  rawRelations: IDENTITY_CENTER_RELATIONS.map((r) => r.relation),
  tables: [
    identityCenterInstances,
    identityCenterUsers,
    identityCenterApplications,
    identityCenterApplicationAssignments,
  ],
  local: async () => (await import('./raw-duckdb.ts')).localIdentityCenterRelations,
  list: async () => (await import('./list.ts')).identityCenterListing,
  collect: async () => (await import('./collect-local.ts')).collectLocalIdentityCenter,
  aws: identityCenterAws,
  sample: {
    options: [{ name: 'accounts', default: 3 }],
    writer: async () => (await import('./sample.ts')).identityCenterSampleWriter,
  },
  settings: { key: 'identityCenter', schema: identityCenterSettingsSchema },
};
