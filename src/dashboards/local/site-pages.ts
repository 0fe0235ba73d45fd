import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LakeqDashboard } from '../dashboard-definition.ts';

/** The page's own files (this folder's assets/) and ECharts, by the name the page asks for. */
export function siteAssets(): Map<string, string> {
  const dir = fileURLToPath(new URL('./assets/', import.meta.url));
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    if (/^[\w-]+\.(js|css)$/.test(name)) files.set(name, path.join(dir, name));
  }
  // echarts' package exports do not list dist/ files, so find the folder from its CommonJS entry.
  const echartsMain = createRequire(import.meta.url).resolve('echarts');
  files.set('echarts.min.js', path.join(path.dirname(echartsMain), 'echarts.min.js'));
  return files;
}

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** Every SPICE dataset id some dashboard reads: the only data the page may ask for. */
export function usedDatasetIds(dashboards: readonly LakeqDashboard[]): Set<string> {
  return new Set(dashboards.flatMap((d) => Object.values(d.datasets)));
}

/**
 * Checks what the server and the static build are given: unique, URL-safe dashboard ids, and
 * datasets that exist. Throws an error naming the dashboard and the identifier.
 */
export function checkDashboards(
  dashboards: readonly LakeqDashboard[],
  knownDatasetIds: ReadonlySet<string> | undefined,
): void {
  const seen = new Set<string>();
  for (const d of dashboards) {
    if (!/^[\w-]{1,512}$/.test(d.id)) throw new Error(`dashboard id "${d.id}" is not [A-Za-z0-9_-]+`);
    if (seen.has(d.id)) throw new Error(`two dashboards have the id "${d.id}"`);
    seen.add(d.id);
    for (const [identifier, datasetId] of Object.entries(d.datasets)) {
      if (!/^[\w-]{1,128}$/.test(datasetId))
        throw new Error(
          `dashboard ${d.id}: dataset "${identifier}" has the id "${datasetId}", not [A-Za-z0-9_-]+`,
        );
      if (knownDatasetIds && !knownDatasetIds.has(datasetId))
        throw new Error(
          `dashboard ${d.id}: dataset "${identifier}" is "${datasetId}", which is no SPICE dataset`,
        );
    }
  }
}

/** How pages link to each other: the server has clean paths, a static site has files. */
export interface SiteLinks {
  /** From the index to a dashboard. */
  readonly dashboard: (id: string) => string;
  /** From a dashboard page back to the index. */
  readonly index: string;
}

export const SERVER_LINKS: SiteLinks = { dashboard: (id) => `d/${id}`, index: '../' };
export const STATIC_LINKS: SiteLinks = { dashboard: (id) => `d/${id}.html`, index: '../index.html' };

/**
 * The index page: every dashboard with its description.
 *
 * @example
 * ```ts
 * indexHtml(DASHBOARDS, SERVER_LINKS); // '<!doctype html>…<a href="d/lakeq-glue-jobs">Glue Jobs</a>…'
 * ```
 */
export function indexHtml(dashboards: readonly LakeqDashboard[], links: SiteLinks): string {
  const items = dashboards
    .map(
      (d) =>
        `<li><a href="${escapeHtml(links.dashboard(d.id))}">${escapeHtml(d.name)}</a>` +
        `<p>${escapeHtml(d.description)}</p></li>`,
    )
    .join('\n');
  return page(
    'lakeq dashboards',
    '',
    `<header class="top"><h1>lakeq dashboards</h1></header>
<main class="index"><ul class="dashboards">
${items || '<li>No dashboards are defined.</li>'}
</ul><p class="note">Data: the latest local SPICE snapshot of each dataset (<code>lakeq load</code> refreshes them).</p></main>`,
    '',
  );
}

/**
 * A dashboard's page: a shell the page's script fills from `definitions/<id>.json` and
 * `data/<datasetId>.json`, all relative to the page, so it works on any static server.
 *
 * @example
 * ```ts
 * dashboardHtml(dashboard, SERVER_LINKS); // served at /d/<id>
 * ```
 */
export function dashboardHtml(dashboard: LakeqDashboard, links: SiteLinks): string {
  const root = '../';
  return page(
    `${dashboard.name} · lakeq`,
    root,
    `<header class="top"><a class="back" href="${escapeHtml(links.index)}">All dashboards</a>
<h1>${escapeHtml(dashboard.name)}</h1><p class="description">${escapeHtml(dashboard.description)}</p></header>
<main id="dashboard" data-root="${root}" data-dashboard-id="${escapeHtml(dashboard.id)}" aria-busy="true">Loading…</main>`,
    `<script src="${root}assets/echarts.min.js"></script>
<script type="module" src="${root}assets/app.js"></script>`,
  );
}

function page(title: string, root: string, body: string, scripts: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${root}assets/dashboard.css">
${scripts}
</head>
<body>
${body}
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
