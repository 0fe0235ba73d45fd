import { defineTable } from '../../../catalog/table-definition.ts';
import { IDENTITY_CENTER_USERS } from '../schema.ts';

/**
 * `identity_center_users`: the users of every identity store, one row per user, e-mails normalized (or keyed hashes). One daily snapshot per `dt`, in the partition `hour='00'` of
 * its day (see ../schema.ts): a day's reload replaces that partition, as an hour's does.
 */
export const identityCenterUsers = defineTable({
  name: 'identity_center_users',
  description:
    'IAM Identity Center users (identitystore ListUsers) of every instance read, one row per identity store and user, e-mails trimmed and lower-cased (keyed hashes with identityCenter.hashEmails), a daily snapshot: dt is the UTC day of the collection, hour is always 00.',
  columns: IDENTITY_CENTER_USERS.columns,
  location: 'curated/identity_center_users',
  input: { source: IDENTITY_CENTER_USERS.source },
  transform: { queryId: 'transforms/identity-center-users-day' },
  sortKey: ['identity_store_id', 'user_id'],
});
