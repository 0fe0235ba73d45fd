import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LakeqDashboard } from '../../src/dashboards/dashboard-definition.ts';
import { SPICE_DATASETS } from '../../src/dashboards/datasets.ts';
import { type DashboardServer, startDashboardServer } from '../../src/dashboards/local/server.ts';
import { clickPoint, gotoDashboard, launchChromium, openPage, visualAttributes } from './fixtures/browser.ts';
import { writeSnapshots } from './fixtures/fixture-datasets.ts';
import { columnSpec, datasetShapes, syntheticRows } from './fixtures/synthetic-rows.ts';

// The dashboards of dashboards/ (when they exist), over snapshots shaped by the columns their
// definitions name: every sheet and visual renders, a control changes what visuals show, every
// drill-down filters its targets, and the page logs no error.
const INDEX = path.resolve('dashboards/index.ts');
const SCREENSHOTS = path.resolve('test-output/screenshots');

let dashboards: readonly LakeqDashboard[] = [];
let dataDir: string;
let server: DashboardServer;
let browser: Browser;
const warnings: string[] = [];

beforeAll(async () => {
  if (!existsSync(INDEX)) return;
  ({ DASHBOARDS: dashboards } = (await import(pathToFileURL(INDEX).href)) as {
    DASHBOARDS: readonly LakeqDashboard[];
  });
  dataDir = await mkdtemp(path.join(tmpdir(), 'lakeq-local-real-'));
  const shapes = datasetShapes(dashboards);
  await writeSnapshots(
    dataDir,
    [...shapes].map(([datasetId, shape]) => ({
      datasetId,
      ingestionId: 'synthetic',
      createdTime: '2026-11-08T00:05:00.000Z',
      rows: syntheticRows(shape),
      columns: columnSpec(shape),
    })),
  );
  await mkdir(SCREENSHOTS, { recursive: true });
  server = await startDashboardServer({
    dataDir,
    dashboards,
    datasets: SPICE_DATASETS,
    log: (line) => warnings.push(line),
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(INDEX))('the dashboards of dashboards/ on the local page', () => {
  it('stay inside the subset the local page renders (no server warning)', () => {
    expect(dashboards.length).toBeGreaterThan(0);
    expect(warnings).toEqual([]);
  });

  it('render every visual of every sheet with data, react to a control and to drill-downs', async () => {
    for (const dashboard of dashboards) {
      const { page, problems } = await openPage(browser);
      try {
        const sheets = dashboard.definition.Sheets ?? [];
        for (const sheet of sheets) {
          await gotoDashboard(page, `${server.url}d/${dashboard.id}#${sheet.SheetId}`);
          await page.reload();
          await page.waitForSelector('#dashboard[data-state="ready"]');
          const where = `${dashboard.id} / ${sheet.SheetId}`;
          const before = await visualAttributes(page);
          const ids = (sheet.Visuals ?? []).flatMap((v) =>
            Object.values(v).flatMap((x) => (x && 'VisualId' in x ? [String(x.VisualId)] : [])),
          );
          expect(Object.keys(before).sort(), where).toEqual([...ids].sort());
          for (const v of Object.values(before)) {
            expect(v.state, `${where} / ${v.id}`).toBe('ready');
            expect(v.rows, `${where} / ${v.id}`).toBeGreaterThan(0);
            if (v.type === 'KPIVisual') expect(typeof v.value, `${where} / ${v.id}`).toBe('number');
            else if (v.type === 'TableVisual' || v.type === 'PivotTableVisual')
              expect(v.tableRows, `${where} / ${v.id}`).toBeGreaterThan(0);
            else expect(v.hasChart, `${where} / ${v.id}`).toBe(true);
          }
          await page.screenshot({
            path: path.join(
              SCREENSHOTS,
              `${dashboard.id}${sheets.length > 1 ? `-${sheet.SheetId}` : ''}.png`,
            ),
            fullPage: true,
          });

          // A dropdown control: choosing another value changes what some visual shows.
          const dropdown = page.locator('.controls [data-control-kind$=".Dropdown"]').first();
          if ((await dropdown.count()) > 0) {
            if ((await dropdown.locator('details').count()) > 0) {
              await dropdown.locator('summary').click();
              await dropdown.locator('input[type="checkbox"]:not(:checked)').first().check();
              await dropdown.locator('summary').click();
            } else {
              const select = dropdown.locator('select');
              const current = await select.inputValue();
              const values = await select
                .locator('option')
                .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
              await select.selectOption(values.find((x) => x !== '' && x !== current) ?? '');
            }
            const after = await visualAttributes(page);
            const changed = Object.values(after).filter(
              (v) => JSON.stringify(v) !== JSON.stringify(before[v.id]),
            );
            expect(changed.length, `${where}: a dropdown changes no visual`).toBeGreaterThan(0);
            await page.reload();
            await page.waitForSelector('#dashboard[data-state="ready"]');
          }

          // Each drill-down: click its first data point; its targets narrow; the chip clears it.
          for (const visual of sheet.Visuals ?? []) {
            const [kind, v] = Object.entries(visual).find(([, x]) => x) ?? [];
            const spec = v as { VisualId: string; Actions?: { Trigger?: string }[] } | undefined;
            if (!kind || !spec?.Actions?.some((a) => a.Trigger === 'DATA_POINT_CLICK')) continue;
            const source = before[spec.VisualId];
            if (kind === 'TableVisual' || kind === 'PivotTableVisual') {
              await page.locator(`[data-visual-id="${spec.VisualId}"] tbody tr`).first().click();
            } else {
              const values = source?.values as { series: { data: (number | null)[] }[] };
              const series = Math.max(
                0,
                values.series.findIndex((s) => (s.data[0] ?? 0) > 0),
              );
              await clickPoint(page, spec.VisualId, 0, series);
            }
            await page.waitForSelector(`.chip[data-source-visual-id="${spec.VisualId}"]`);
            const drilled = await visualAttributes(page);
            const narrowed = Object.values(drilled).filter((x) => (x.rows ?? 0) < (before[x.id]?.rows ?? 0));
            expect(
              narrowed.length,
              `${where}: drill-down from ${spec.VisualId} narrows nothing`,
            ).toBeGreaterThan(0);
            expect(drilled[spec.VisualId]?.rows).toBe(source?.rows);
            await page.click(`.chip[data-source-visual-id="${spec.VisualId}"] .chip-clear`);
            const cleared = await visualAttributes(page);
            for (const x of Object.values(cleared))
              expect(x.rows, `${where} / ${x.id}`).toBe(before[x.id]?.rows);
          }
        }
        expect(problems, dashboard.id).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });
});
