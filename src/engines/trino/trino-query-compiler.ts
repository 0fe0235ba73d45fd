import { DefaultQueryCompiler } from 'kysely';

const ID_WRAP_REGEX = /"/g;

/**
 * Compiles Kysely queries to Trino SQL as Athena engine v3 accepts it: `?` placeholders and
 * double-quoted identifiers. Every engine uses it, because lakeq writes queries once in
 * Trino SQL and makes DuckDB speak enough of it.
 *
 * @example
 * ```ts
 * db.selectFrom('cloudtrail_events').select('eventName').where('awsRegion', '=', 'us-east-1')
 * // select "eventName" from "cloudtrail_events" where "awsRegion" = ?
 * ```
 */
export class TrinoQueryCompiler extends DefaultQueryCompiler {
  protected override getCurrentParameterPlaceholder(): string {
    return '?';
  }
  protected override getLeftExplainOptionsWrapper(): string {
    return '';
  }
  protected override getRightExplainOptionsWrapper(): string {
    return '';
  }
  protected override getLeftIdentifierWrapper(): string {
    return '"';
  }
  protected override getRightIdentifierWrapper(): string {
    return '"';
  }
  protected override sanitizeIdentifier(identifier: string): string {
    return identifier.replace(ID_WRAP_REGEX, '""');
  }
}
