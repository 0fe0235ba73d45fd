import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { LEDGER_TABLE } from '../../src/catalog/athena/ledger-ddl.ts';
import { openLocalEngine, readsRawViews } from '../../src/catalog/duckdb/local-engine.ts';
import type { TableDefinition } from '../../src/catalog/table-definition.ts';
import { TABLES } from '../../src/catalog/tables/index.ts';
import { main } from '../../src/cli/main.ts';
import { AWS_COLLECTORS } from '../../src/orchestration/aws/aws-collectors.ts';
import { SOURCES } from '../../src/sources/index.ts';
import { readsCollectedFiles } from '../../src/sources/registry.ts';
import { captureIO } from '../support/capture-io.ts';

const SOURCES_DIR = path.resolve(import.meta.dirname, '../../src/sources');

/** The role files every source folder has (src/sources/README.md). */
const REQUIRED = [
  'index.ts',
  'schema.ts',
  'tables',
  'raw-duckdb.ts',
  'raw-athena.ts',
  'list.ts',
  'list-local.ts',
  'sample.ts',
];
/** What else a source folder may hold: a role split into `<role>-*.ts`, or a role's sub-folder. */
const ROLE_FILE = /^(schema|raw-duckdb|raw-athena|list|collect|sample)(-[a-z0-9-]+)?\.ts$/;
const ROLE_FOLDERS = new Set(['tables', 'collect', 'sample']);

const folders = readdirSync(SOURCES_DIR).filter((f) => statSync(path.join(SOURCES_DIR, f)).isDirectory());

describe('the source registry', () => {
  it('lists every folder under src/sources/ once, by its folder name', () => {
    expect(SOURCES.map((s) => s.name).sort()).toEqual([...folders].sort());
    expect(new Set(SOURCES.map((s) => s.name)).size).toBe(SOURCES.length);
  });

  for (const folder of folders) {
    it(`${folder}/ has the role files, and no file outside the roles`, () => {
      const entries = readdirSync(path.join(SOURCES_DIR, folder));
      expect(REQUIRED.filter((r) => !entries.includes(r))).toEqual([]);
      const odd = entries.filter((e) =>
        statSync(path.join(SOURCES_DIR, folder, e)).isDirectory()
          ? !ROLE_FOLDERS.has(e)
          : e !== 'index.ts' && !ROLE_FILE.test(e),
      );
      expect(odd, 'see src/sources/README.md for the file roles').toEqual([]);
    });

    it(`${folder}/tables/ holds exactly the source's tables`, async () => {
      const source = SOURCES.find((s) => s.name === folder);
      const dir = path.join(SOURCES_DIR, folder, 'tables');
      const exported: TableDefinition[] = [];
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
        const module = (await import(pathToFileURL(path.join(dir, file)).href)) as Record<string, unknown>;
        exported.push(...Object.values(module).filter((v): v is TableDefinition => isTable(v)));
      }
      expect(exported.map((t) => t.name).sort()).toEqual(source?.tables.map((t) => t.name).sort());
    });
  }

  it('TABLES are the sources’ tables in registry order, each after the tables it reads', () => {
    expect(TABLES).toEqual(SOURCES.flatMap((s) => s.tables));
    expect(new Set(TABLES.map((t) => t.name)).size).toBe(TABLES.length);
    TABLES.forEach((table, i) => {
      if ('table' in table.input) {
        const upstream = table.input.table;
        expect(
          TABLES.slice(0, i).map((t) => t.name),
          `${table.name} reads ${upstream}`,
        ).toContain(upstream);
      }
    });
  });

  it('a table reading raw files reads its own source’s; a raw source name belongs to one source', () => {
    const raw = SOURCES.flatMap((s) => s.rawSources);
    expect(new Set(raw).size).toBe(raw.length);
    for (const source of SOURCES) {
      for (const table of source.tables) {
        if ('source' in table.input) expect(source.rawSources).toContain(table.input.source);
      }
    }
  });

  it('the collected sources’ tables read collected files; the others do not', () => {
    const collected = TABLES.filter(readsCollectedFiles).map((t) => t.name);
    expect(collected).toEqual(
      SOURCES.filter((s) => s.inputs === 'collected').flatMap((s) =>
        s.tables.filter((t) => 'source' in t.input).map((t) => t.name),
      ),
    );
    expect(collected).toEqual([
      'glue_job_runs',
      'glue_job_metrics',
      'identity_center_instances',
      'identity_center_users',
      'identity_center_applications',
      'identity_center_application_assignments',
    ]);
  });

  it('each source has the hooks its kind needs', () => {
    for (const source of SOURCES) {
      // The planner lists the raw files of a table that reads them through its source's `list`.
      if (source.tables.some((t) => 'source' in t.input)) expect(source.list, source.name).toBeDefined();
      // The collect task collects a collected source locally through `collect`.
      if (source.inputs === 'collected') expect(source.collect, source.name).toBeDefined();
      else expect(source.collect, source.name).toBeUndefined();
      // A generated source is written by its own command: the ETL does not load it, `npm start` does not write it.
      if (source.inputs === 'generated') {
        expect(
          source.tables.filter((t) => 'source' in t.input),
          source.name,
        ).toEqual([]);
        expect(source.list, source.name).toBeUndefined();
        expect(source.sample, source.name).toBeUndefined();
      }
    }
    // The Lambda's collectors (the one list besides SOURCES a source may need a line in) are collected sources'.
    for (const name of Object.keys(AWS_COLLECTORS))
      expect(SOURCES.find((s) => s.name === name)?.inputs, name).toBe('collected');
  });

  it('the raw relations are the local catalog’s views besides the curated tables and the ledger', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lakeq-sources-'));
    const engine = await openLocalEngine({
      sources: { cloudtrail: path.join(dir, 'cloudtrail') },
      dataDir: dir,
    });
    try {
      const { rows } = await engine.execute(
        CompiledQuery.raw('select view_name from duckdb_views() where not internal order by view_name'),
      );
      const views = (rows as { view_name: string }[]).map((r) => r.view_name);
      const curated = new Set([...TABLES.map((t) => t.name), LEDGER_TABLE]);
      const raw = SOURCES.flatMap((s) => s.rawRelations);
      expect(views.filter((v) => !curated.has(v))).toEqual([...raw].sort());
      for (const relation of raw) expect(readsRawViews(`select * from ${relation}`), relation).toBe(true);
      for (const table of curated) expect(readsRawViews(`select * from "${table}"`), table).toBe(false);
    } finally {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('every raw table and view `lakeq ddl` creates on Athena is a registered raw relation', async () => {
    const io = captureIO();
    const args = ['ddl', '--trail-bucket', 'trail', '--accounts', '111122223333', '--regions', 'eu-west-1'];
    expect(await main([...args, '--start-date', '2026-01-01', '--data-bucket', 'lake'], io)).toBe(0);
    const created = Array.from(
      io
        .stdout()
        .matchAll(/^CREATE (?:EXTERNAL TABLE(?: IF NOT EXISTS)?|OR REPLACE VIEW) (?:`\w+`\.)?[`"]?(\w+)/gm),
      (m) => m[1] as string,
    );
    const curated = new Set([...TABLES.map((t) => t.name), LEDGER_TABLE]);
    const athenaRaw = created.filter((name) => !curated.has(name));
    expect(athenaRaw.length).toBeGreaterThanOrEqual(SOURCES.length);
    expect(SOURCES.flatMap((s) => s.rawRelations)).toEqual(expect.arrayContaining(athenaRaw));
  });
});

function isTable(value: unknown): value is TableDefinition {
  return typeof value === 'object' && value !== null && 'columns' in value && 'transform' in value;
}
