import {
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type TableNode,
  type UnknownRow,
} from 'kysely';

class TableNameTransformer extends OperationNodeTransformer {
  readonly #names: Readonly<Record<string, string>>;
  constructor(names: Readonly<Record<string, string>>) {
    super();
    this.#names = names;
  }
  protected override transformTable(node: TableNode): TableNode {
    const t = super.transformTable(node);
    if (t.table.schema) return t;
    const physical = this.#names[t.table.identifier.name];
    if (physical === undefined) return t;
    return { ...t, table: { ...t.table, identifier: { ...t.table.identifier, name: physical } } };
  }
}

/**
 * Rewrites the library's logical table names to an engine's physical ones, in Kysely-built
 * queries and in `sql` templates that use `sql.table(...)` alike.
 *
 * @example
 * ```ts
 * new TableNamesPlugin({ cloudtrail_events: 'a1b2c3d4-event-data-store' })
 * // select ... from "cloudtrail_events"  →  select ... from "a1b2c3d4-event-data-store"
 * ```
 */
export class TableNamesPlugin implements KyselyPlugin {
  readonly #transformer: TableNameTransformer;
  constructor(names: Readonly<Record<string, string>>) {
    this.#transformer = new TableNameTransformer(names);
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
