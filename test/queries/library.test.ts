import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import type { LakeqSettings } from '../../src/config/lakeq-config.ts';
import { compileTarget } from '../../src/engines/compile-targets.ts';
import { ENGINE_NAMES } from '../../src/engines/engine.ts';
import { inlineParameters, tagSql } from '../../src/engines/trino/trino-literals.ts';
import { compileQuery } from '../../src/query/compile-query.ts';
import { listQueryIds, loadAllQueries, loadQuery, nearestIds } from '../../src/query/registry.ts';

const EDS = 'arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/0b8a1c5e-4d1f-4e8f-8bd1-bcf6c2d3e4f5';
const settings = { aws: { athena: {}, cloudtrailLake: { eventDataStore: EDS } } } as unknown as LakeqSettings;
const trino = new TrinoSQL();
const queries = await loadAllQueries();

describe('the query library', () => {
  it('holds the Identity Center and CloudTrail queries, each id its path', async () => {
    expect(await listQueryIds()).toEqual(
      expect.arrayContaining([
        'cloudtrail/api-errors-by-principal',
        'cloudtrail/events-by-source',
        'identity-center/failed-instance-calls',
        'identity-center/instance-churn',
        'identity-center/instance-events',
        'identity-center/instances-created-and-deleted',
      ]),
    );
    for (const q of queries) {
      expect(q.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(q.title.length).toBeGreaterThan(5);
      expect(q.description.length).toBeGreaterThan(40);
      expect(q.example).toBeDefined();
    }
  });

  it('the index of queries/index.ts is the file tree: every query module, nothing else', async () => {
    const root = path.resolve(import.meta.dirname, '../../queries');
    const files = ((await readdir(root, { recursive: true })) as string[])
      .map((rel) => rel.split(path.sep).join('/'))
      .filter((rel) => rel.includes('/') && rel.endsWith('.ts') && !rel.endsWith('-sql.ts'))
      .map((rel) => rel.slice(0, -3))
      .sort();
    expect(await listQueryIds()).toEqual(files);
  });

  it('an unknown id fails as a usage error naming the nearest ids', async () => {
    await expect(loadQuery('identity-center/instance-chrun')).rejects.toMatchObject({
      code: 'UNKNOWN_QUERY',
      usage: true,
      message: expect.stringContaining('did you mean "identity-center/instance-churn"'),
    });
    expect(nearestIds('events-by-source', await listQueryIds())).toEqual(['cloudtrail/events-by-source']);
  });
});

const LIBRARY_TABLES =
  /"(cloudtrail_events|cloudtrail_events_raw|identity_center_instance_churn_hourly|glue_job_runs|glue_job_metrics|glue_job_runs_collected|glue_job_metrics_collected|identity_center_(instances|users|applications|application_assignments)(_collected)?|tpcds_cbo_runs|ocsf_[a-z_]+|security_findings_daily)"|\b(store_sales|catalog_sales|web_sales|store_returns|catalog_returns|web_returns|inventory|item)\b/;

for (const query of queries) {
  describe(`${query.id}@${query.version}`, () => {
    for (const engine of ENGINE_NAMES) {
      const target = compileTarget(engine, settings);
      if (query.engines && !query.engines.includes(engine)) {
        it(`refuses to compile for ${engine}, which it does not run on`, () => {
          expect(() => compileQuery(query, query.example, target)).toThrow(/does not run on/);
        });
        continue;
      }
      it(`compiles for ${engine} to SQL a real Trino grammar accepts`, () => {
        const { compiled } = compileQuery(query, query.example, target);
        const from = new Date(
          `${query.example?.from?.length === 10 ? `${query.example.from}T00` : query.example?.from}:00:00Z`,
        );
        if (engine === 'cloudtrail-lake') {
          // Lake takes no parameters: typed literals inline, the event data store as the table.
          expect(compiled.parameters).toEqual([]);
          expect(compiled.sql).toContain('"0b8a1c5e-4d1f-4e8f-8bd1-bcf6c2d3e4f5"');
          expect(compiled.sql).not.toMatch(LIBRARY_TABLES);
          expect(compiled.sql).not.toMatch(/\bdt\b/);
          expect(compiled.sql).toContain(
            `TIMESTAMP '${from.toISOString().replace('T', ' ').replace('Z', '')}'`,
          );
        } else {
          expect(compiled.sql).toMatch(LIBRARY_TABLES);
          // Queries over the curated table name its day partitions, so Athena reads only those.
          if (/"(cloudtrail_events|glue_job_runs|glue_job_metrics)"/.test(compiled.sql)) {
            expect(compiled.sql).toMatch(/and dt >= \? and dt <= \?/);
          }
          // The collected Glue relations are read by their projected dt folders.
          if (/"glue_job_(runs|metrics)_collected"/.test(compiled.sql)) {
            expect(compiled.sql).toMatch(/where dt >= \? and dt <= \?/);
          }
          // The collected Identity Center snapshots are read by their projected dt folders, hour 00.
          const snapshotLoad = /"identity_center_\w+_collected"/.test(compiled.sql);
          if (snapshotLoad) expect(compiled.sql).toMatch(/where dt >= \? and dt <= \? and hour = '00'/);
          // A query without `from` (glue/week-over-week: the two weeks before `to`) starts elsewhere,
          // and a snapshot load names the days its window holds, not the window.
          if (query.example?.from !== undefined && !snapshotLoad) {
            expect(compiled.parameters.filter((p) => p instanceof Date)[0]).toEqual(from);
          }
          // Athena accepts execution parameters only in some positions (never LIMIT ?).
          expect(compiled.sql).not.toMatch(/limit\s+\?/i);
        }
        const standalone = tagSql(inlineParameters(compiled).sql, {
          queryId: query.id,
          version: query.version,
        });
        expect(trino.validate(standalone)).toEqual([]);
      });
    }
  });
}

describe('the Trino grammar check can fail', () => {
  it('rejects DuckDB-only syntax that DuckDB itself would accept', () => {
    expect(trino.validate('select list_transform([1, 2], lambda x: x + 1)').length).toBeGreaterThan(0);
    expect(trino.validate('select * from t qualify row_number() over () = 1').length).toBeGreaterThan(0);
  });
});
