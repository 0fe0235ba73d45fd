/**
 * How the snapshot root is listed: the collected-folder lister (a local folder, or an S3 prefix
 * with an S3 lister) that the Glue source uses too; the snapshot files are laid out the same way
 * (`<relation>/dt=…/hour=…/<relation>.json`).
 */
export { type CollectedFolderLister, LOCAL_COLLECTED_LISTER } from '../glue/list-local.ts';
