/**
 * A raw input file as the planner sees it: what identifies its content for fingerprints (a
 * CloudTrail log file, a collected hour file).
 */
export interface SourceFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Delivery time from the file name (`..._20261127T1305Z_...`), when it has one. */
  readonly deliveredAt?: Date;
}
