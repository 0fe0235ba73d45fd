import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SPICE_DATASETS } from '../datasets.ts';
import type { DashboardSiteOptions } from './server.ts';
import { definitionJson } from './server.ts';
import {
  checkDashboards,
  dashboardHtml,
  indexHtml,
  STATIC_LINKS,
  siteAssets,
  usedDatasetIds,
} from './site-pages.ts';
import { unsupportedFeatures } from './supported-subset.ts';

export interface StaticSiteOptions extends DashboardSiteOptions {
  /** The folder to write; created if missing; files of an earlier build are replaced. */
  readonly out: string;
  /** Where warnings go (parts of a definition the page does not render); default stderr. */
  readonly log?: (line: string) => void;
}

export interface StaticSiteSummary {
  readonly out: string;
  /** Files written, relative to `out`, '/'-separated. */
  readonly files: readonly string[];
  /** Rows written per dataset (0 for a dataset with no COMPLETED snapshot yet). */
  readonly datasets: Readonly<Record<string, number>>;
}

/**
 * Writes the local dashboards as a static site: `index.html`, `d/<id>.html`, `assets/`,
 * `data/<datasetId>.json` (the latest COMPLETED snapshot of each dataset a dashboard reads) and
 * `definitions/<id>.json`, linked by relative URLs so any static file server can serve it
 * (browsers do not run the page's ES modules from file:// URLs). Each file is written to a
 * temporary name and renamed, so a reader never sees half of one.
 *
 * @example
 * ```ts
 * await buildStaticSite({ out: './site', dataDir: './lakeq-data', dashboards: DASHBOARDS });
 * // then: npx http-server ./site  (or any static server) and open /index.html
 * ```
 */
export async function buildStaticSite(options: StaticSiteOptions): Promise<StaticSiteSummary> {
  const datasets = options.datasets ?? SPICE_DATASETS;
  checkDashboards(options.dashboards, new Set(datasets.map((d) => d.id)));
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  for (const dashboard of options.dashboards) {
    for (const line of unsupportedFeatures(dashboard)) log(`warning: ${line}`);
  }
  const out = path.resolve(options.out);
  const files: string[] = [];
  const write = async (relative: string, content: string | { copyOf: string }) => {
    const target = path.join(out, ...relative.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID()}.tmp`;
    try {
      if (typeof content === 'string') await writeFile(temp, content);
      else await copyFile(content.copyOf, temp);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    files.push(relative);
  };

  for (const [name, file] of siteAssets()) await write(`assets/${name}`, { copyOf: file });
  const rowCounts: Record<string, number> = {};
  const { SnapshotReader } = await import('./snapshot-rows.ts');
  const reader = new SnapshotReader(options.dataDir);
  try {
    for (const id of usedDatasetIds(options.dashboards)) {
      const json = await reader.json(id);
      rowCounts[id] = (JSON.parse(json) as { rows: unknown[] }).rows.length;
      await write(`data/${id}.json`, json);
    }
  } finally {
    await reader.close();
  }
  for (const dashboard of options.dashboards) {
    await write(`definitions/${dashboard.id}.json`, definitionJson(dashboard));
    await write(`d/${dashboard.id}.html`, dashboardHtml(dashboard, STATIC_LINKS));
  }
  await write('index.html', indexHtml(options.dashboards, STATIC_LINKS));
  return { out, files, datasets: rowCounts };
}

/**
 * `lakeq dashboards build --out DIR`: the static site, with the summary the CLI prints.
 *
 * @example
 * ```ts
 * const summary = await buildDashboards({ out: 'site', dataDir, dashboards: DASHBOARDS });
 * io.out(`${summary.files.length} files in ${summary.out}`);
 * ```
 */
export async function buildDashboards(options: StaticSiteOptions): Promise<StaticSiteSummary> {
  return buildStaticSite(options);
}
