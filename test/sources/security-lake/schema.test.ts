import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type HiveType, parseHiveType } from '../../../src/catalog/hive-types.ts';
import { createDuckDbEngine } from '../../../src/engines/duckdb/duckdb-engine.ts';
import { SECURITY_LAKE_TABLES } from '../../../src/sources/security-lake/schema.ts';
import { V1_COLUMNS } from '../../../src/sources/security-lake/schema-v1.ts';
import { REAL_FIXTURES } from '../../support/fixture-dirs.ts';
import { placeSamples } from './lake-fixtures.ts';

const SCHEMAS = path.join(REAL_FIXTURES, 'ocsf/parquet-schemas');

type Avro =
  | string
  | (string | Avro)[]
  | { type: string; fields?: { name: string; type: Avro }[]; items?: Avro; values?: Avro };

/** An Avro writer schema in Hive types, written here from the Avro spec, not from the code under test. */
function hive(t: Avro): string {
  if (Array.isArray(t)) return hive(t.find((x) => x !== 'null') as Avro);
  if (typeof t === 'string')
    return {
      string: 'string',
      long: 'bigint',
      int: 'int',
      float: 'float',
      double: 'double',
      boolean: 'boolean',
    }[t] as string;
  if (t.type === 'record')
    return `struct<${(t.fields ?? []).map((f) => `${f.name}:${hive(f.type)}`).join(',')}>`;
  if (t.type === 'array') return `array<${hive(t.items as Avro)}>`;
  if (t.type === 'map') return `map<string,${hive(t.values as Avro)}>`;
  return hive(t.type);
}

function writerSchema(file: string): { name: string; type: string }[] {
  const json = JSON.parse(readFileSync(path.join(SCHEMAS, file), 'utf8')) as {
    key_value_metadata: { key: string; value: string }[];
  };
  const avro = JSON.parse(
    json.key_value_metadata.find((kv) => kv.key === 'parquet.avro.schema')?.value ?? '{}',
  ) as Avro & {
    fields: { name: string; type: Avro }[];
  };
  return avro.fields.map((f) => ({ name: f.name, type: hive(f.type) }));
}

/** Whether every field of `inner` is in `outer` with the same type (nested structs by name). */
function within(inner: HiveType, outer: HiveType, where: string, problems: string[]): void {
  if (inner.kind === 'struct' && outer.kind === 'struct') {
    for (const f of inner.fields) {
      const o = outer.fields.find((x) => x.name === f.name);
      if (!o) problems.push(`${where}.${f.name} is not declared`);
      else within(f.type, o.type, `${where}.${f.name}`, problems);
    }
  } else if (inner.kind === 'array' && outer.kind === 'array')
    within(inner.element, outer.element, `${where}[]`, problems);
  else if (inner.kind === 'map' && outer.kind === 'map')
    within(inner.value, outer.value, `${where}{}`, problems);
  else if (JSON.stringify(inner) !== JSON.stringify(outer))
    problems.push(`${where}: ${JSON.stringify(inner)} is declared ${JSON.stringify(outer)}`);
}

describe('the Security Lake table schemas', () => {
  it('version 1 is each table’s classes’ writer schemas (the Avro schema embedded in the real files), merged', () => {
    const groups: Record<string, string[]> = {
      cloud_trail_mgmt: [
        '1.0.0-rc.2_cloudtrail_account_change_3001.schema.json',
        '1.0.0-rc.2_cloudtrail_api_activity_3005.schema.json',
        '1.0.0-rc.2_cloudtrail_authentication_3002.schema.json',
      ],
      route53: ['1.0.0-rc.2_route53_dns_activity_4003.schema.json'],
      sh_findings: ['1.0.0-rc.2_sh_findings_security_finding_2001.schema.json'],
      vpc_flow: ['1.0.0-rc.2_vpc_flow_network_activity_4001.schema.json'],
    };
    for (const [table, files] of Object.entries(groups)) {
      const declared = V1_COLUMNS[table as keyof typeof V1_COLUMNS];
      const problems: string[] = [];
      for (const file of files) {
        for (const c of writerSchema(file)) {
          const d = declared.find((x) => x.name === c.name);
          if (!d) problems.push(`${file}: ${c.name} is not declared`);
          else within(parseHiveType(c.type), parseHiveType(d.type), `${file}: ${c.name}`, problems);
        }
      }
      expect(problems, table).toEqual([]);
      // Nothing declared that no class has.
      const names = new Set(files.flatMap((f) => writerSchema(f).map((c) => c.name)));
      expect(
        declared.map((c) => c.name).filter((n) => !names.has(n)),
        table,
      ).toEqual([]);
    }
  });

  it('every column and nested field of every real sample file is declared, with its type', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-seclake-schema-'));
    const engine = await createDuckDbEngine({});
    try {
      const placed = await placeSamples(dir);
      const problems: string[] = [];
      for (const p of placed) {
        const table = SECURITY_LAKE_TABLES.find(
          (t) => t.source === p.source && `${t.version}.0` === p.version,
        );
        if (!table) throw new Error(p.source);
        const { rows } = await engine.execute(
          CompiledQuery.raw(`select name, type from parquet_schema('${p.fixture.replace(/'/g, "''")}')`),
        );
        const { rows: described } = await engine.execute(
          CompiledQuery.raw(`describe select * from read_parquet('${p.fixture.replace(/'/g, "''")}')`),
        );
        expect(rows.length).toBeGreaterThan(0);
        for (const c of described as { column_name: string; column_type: string }[]) {
          const d = table.columns.find((x) => x.name === c.column_name);
          if (!d) {
            problems.push(`${path.basename(p.fixture)}: ${c.column_name} is not declared`);
            continue;
          }
          within(
            fromDuckDb(c.column_type),
            parseHiveType(d.type),
            `${path.basename(p.fixture)}: ${c.column_name}`,
            problems,
          );
        }
      }
      expect(problems).toEqual([]);
    } finally {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A DuckDB type as DESCRIBE prints it (`STRUCT("a" VARCHAR, b INTEGER[])[]`), as a Hive type tree. */
function fromDuckDb(text: string): HiveType {
  const t = text.trim();
  if (t.endsWith('[]')) return { kind: 'array', element: fromDuckDb(t.slice(0, -2)) };
  const open = t.indexOf('(');
  if (open > 0 && t.endsWith(')')) {
    const head = t.slice(0, open);
    const parts = splitTop(t.slice(open + 1, -1));
    if (head === 'MAP')
      return { kind: 'map', key: fromDuckDb(parts[0] ?? ''), value: fromDuckDb(parts[1] ?? '') };
    if (head === 'STRUCT')
      return {
        kind: 'struct',
        fields: parts.map((p) => {
          const m = /^("(?:[^"]|"")+"|\w+)\s+(.*)$/s.exec(p.trim());
          if (!m) throw new Error(`field ${p}`);
          return { name: (m[1] as string).replace(/^"|"$/g, ''), type: fromDuckDb(m[2] as string) };
        }),
      };
  }
  const primitive: Record<string, string> = {
    VARCHAR: 'string',
    BIGINT: 'bigint',
    INTEGER: 'int',
    FLOAT: 'float',
    DOUBLE: 'double',
    BOOLEAN: 'boolean',
    'TIMESTAMP WITH TIME ZONE': 'timestamp',
    TIMESTAMP: 'timestamp',
    TIMESTAMP_MS: 'timestamp',
  };
  return parseHiveType(primitive[t] ?? t);
}

function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === ',') {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim());
}
