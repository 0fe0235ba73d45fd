import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { LakeqDashboard } from '../dashboard-definition.ts';
import { SPICE_DATASETS, type SpiceDataset } from '../datasets.ts';
import {
  CONTENT_TYPES,
  checkDashboards,
  dashboardHtml,
  indexHtml,
  SERVER_LINKS,
  siteAssets,
  usedDatasetIds,
} from './site-pages.ts';
import type { SnapshotReader } from './snapshot-rows.ts';
import { unsupportedFeatures } from './supported-subset.ts';

/** What both the server and the static build render. */
export interface DashboardSiteOptions {
  /** The data folder whose `spice/` holds the snapshots (`lakeq-data`). */
  readonly dataDir: string;
  readonly dashboards: readonly LakeqDashboard[];
  /** The SPICE datasets (default `SPICE_DATASETS`): each dataset a dashboard names must be one. */
  readonly datasets?: readonly SpiceDataset[];
}

export interface DashboardServerOptions extends DashboardSiteOptions {
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Where warnings go (parts of a definition the page does not render); default stderr. */
  readonly log?: (line: string) => void;
}

/** A running local dashboard server. */
export interface DashboardServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Only loopback: the page shows account data and has no authentication. */
const HOST = '127.0.0.1';
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Serves the dashboards on 127.0.0.1: `/` the index, `/d/<id>` a dashboard, `/assets/<file>` the
 * page's scripts and ECharts, `/data/<datasetId>.json` the rows of the latest COMPLETED local
 * SPICE snapshot of a dataset some dashboard reads, `/definitions/<id>.json` a definition.
 * Anything else is 404, a method other than GET or HEAD 405, a query string 400, and a Host
 * header other than this server's 403 (so a web page cannot reach it by DNS rebinding).
 *
 * @example
 * ```ts
 * const server = await startDashboardServer({ dataDir: './lakeq-data', dashboards: DASHBOARDS });
 * console.log(server.url); // http://127.0.0.1:40123/
 * await server.close();
 * ```
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`port ${port} is not an integer from 0 to 65535`);
  const datasets = options.datasets ?? SPICE_DATASETS;
  checkDashboards(options.dashboards, new Set(datasets.map((d) => d.id)));
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  for (const dashboard of options.dashboards) {
    for (const line of unsupportedFeatures(dashboard)) log(`warning: ${line}`);
  }
  const dashboards = new Map(options.dashboards.map((d) => [d.id, d]));
  const dataIds = usedDatasetIds(options.dashboards);
  const assets = siteAssets();
  let reader: SnapshotReader | undefined;
  const snapshots = async (): Promise<SnapshotReader> => {
    if (!reader) {
      // DuckDB loads only when a page first asks for data.
      const { SnapshotReader } = await import('./snapshot-rows.ts');
      reader ??= new SnapshotReader(options.dataDir);
    }
    return reader;
  };
  let allowedHosts = new Set<string>();

  const route = async (req: IncomingMessage): Promise<Reply> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, text: 'only GET and HEAD' };
    if (!allowedHosts.has(req.headers.host ?? '')) return { status: 403, text: 'unexpected Host header' };
    const url = req.url ?? '';
    if (url.includes('?') || url.includes('#'))
      return { status: 400, text: 'query strings are not accepted' };
    // Matched on the raw path: percent-escapes, dots and slashes never reach a lookup.
    if (url === '/') return { status: 200, type: '.html', body: indexHtml(options.dashboards, SERVER_LINKS) };
    let m = /^\/d\/([\w-]+)$/.exec(url);
    if (m) {
      const dashboard = dashboards.get(m[1] ?? '');
      return dashboard
        ? { status: 200, type: '.html', body: dashboardHtml(dashboard, SERVER_LINKS) }
        : notFound;
    }
    m = /^\/definitions\/([\w-]+)\.json$/.exec(url);
    if (m) {
      const dashboard = dashboards.get(m[1] ?? '');
      return dashboard ? { status: 200, type: '.json', body: definitionJson(dashboard) } : notFound;
    }
    m = /^\/data\/([\w-]+)\.json$/.exec(url);
    if (m) {
      const id = m[1] ?? '';
      if (!dataIds.has(id)) return notFound;
      return { status: 200, type: '.json', body: await (await snapshots()).json(id) };
    }
    m = /^\/assets\/([\w.-]+)$/.exec(url);
    if (m) {
      const file = assets.get(m[1] ?? '');
      if (!file) return notFound;
      return { status: 200, type: path.extname(file), body: await readFile(file) };
    }
    return notFound;
  };

  const server = createServer((req, res) => {
    route(req).then(
      (reply) => send(req, res, reply),
      (error: unknown) => {
        log(`error: ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
        send(req, res, { status: 500, text: 'internal error (see the server log)' });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`${HOST}:${actual}`, `localhost:${actual}`]);
  return {
    url: `http://${HOST}:${actual}/`,
    port: actual,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      await reader?.close();
    },
  };
}

/**
 * Runs the server until `signal` aborts, then closes it: what `lakeq dashboards serve` does.
 *
 * @example
 * ```ts
 * await serveDashboards({ dataDir, dashboards: DASHBOARDS, port: 8040, signal, onListening: (url) => io.out(url) });
 * ```
 */
export async function serveDashboards(
  options: DashboardServerOptions & {
    readonly signal: AbortSignal;
    readonly onListening?: (url: string) => void;
  },
): Promise<void> {
  const server = await startDashboardServer(options);
  try {
    options.onListening?.(server.url);
    if (!options.signal.aborted) {
      await new Promise((resolve) => options.signal.addEventListener('abort', resolve, { once: true }));
    }
  } finally {
    await server.close();
  }
}

/** A definition as the page reads it: the dashboard, its datasets and its QuickSight definition. */
export function definitionJson(dashboard: LakeqDashboard): string {
  const { id, name, description, datasets, definition } = dashboard;
  return JSON.stringify({ id, name, description, datasets, definition });
}

type Reply =
  | { status: number; text: string }
  | { status: number; type: string; body: string | Buffer<ArrayBuffer> };

const notFound: Reply = { status: 404, text: 'not found' };

function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  const body = 'text' in reply ? `${reply.text}\n` : reply.body;
  const type = 'text' in reply ? 'text/plain; charset=utf-8' : (CONTENT_TYPES[reply.type] ?? 'text/plain');
  const headers: Record<string, string | number> = {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = PAGE_CSP;
  if (reply.status === 405) headers.Allow = 'GET, HEAD';
  res.writeHead(reply.status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}
