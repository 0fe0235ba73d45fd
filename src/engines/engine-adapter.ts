import { DialectAdapterBase, type Kysely, type MigrationLockOptions } from 'kysely';
import { LakeqError } from './engine.ts';

/**
 * The adapter shared by lakeq's engines: analytical engines without RETURNING or
 * transactional DDL, and no migrations (tables come from the catalog).
 */
export class AnalyticsAdapter extends DialectAdapterBase {
  override get supportsTransactionalDdl(): boolean {
    return false;
  }
  override get supportsReturning(): boolean {
    return false;
  }
  override async acquireMigrationLock(_db: Kysely<unknown>, _o: MigrationLockOptions): Promise<void> {
    throw new LakeqError('NOT_SUPPORTED', 'lakeq tables come from the catalog, not from Kysely migrations');
  }
  override async releaseMigrationLock(_db: Kysely<unknown>, _o: MigrationLockOptions): Promise<void> {}
}
