import type { SourceDefinition } from '../source-definition.ts';
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
  inputs: 'collected',
  rawSources: IDENTITY_CENTER_RELATIONS.map((r) => r.source),
  rawRelations: IDENTITY_CENTER_RELATIONS.map((r) => r.relation),
  tables: [
    identityCenterInstances,
    identityCenterUsers,
    identityCenterApplications,
    identityCenterApplicationAssignments,
  ],
};
