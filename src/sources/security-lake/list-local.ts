import { LOCAL_CLOUDTRAIL_LISTER } from '../cloudtrail/list-local.ts';
import type { FolderLister } from '../source-definition.ts';

/**
 * How the lake's folders are listed: a local folder (the default) or an S3 prefix (the AWS
 * context's lister). The local one is CloudTrail's: readdir, real folders only, stat for sizes.
 *
 * @example
 * ```ts
 * await LOCAL_SECURITY_LAKE_LISTER.folders('./lakeq-data/raw/security-lake/aws/SH_FINDINGS/2.0') // ['region=us-east-1']
 * ```
 */
export const LOCAL_SECURITY_LAKE_LISTER: FolderLister = LOCAL_CLOUDTRAIL_LISTER;
