import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalColumns } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { tableWidth, toTable } from '../../src/cli/output.ts';
import { fitColumns, MIN_CUT_WIDTH } from '../../src/cli/table-layout.ts';
import { cutToWidth, displayWidth } from '../../src/cli/text-width.ts';
import { toCsv } from '../../src/reports/csv.ts';
import { captureIO } from '../support/capture-io.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-table-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A churn-like row whose actors cell is 600 characters, as `npm start`'s are. */
const ACTORS = Array.from(
  { length: 12 },
  (_, i) => `arn:aws:sts::111122223333:assumed-role/AdminRole${i}/session-${i}-abcdefghij`,
).join(', ');
const churnRow = {
  day: '2026-11-02',
  account_id: '111122223333',
  region: 'us-east-1',
  created: 2,
  deleted: 1,
  net: 1,
  actors: ACTORS,
};
const CHURN_COLUMNS = Object.keys(churnRow);
const lines = (text: string) => text.trimEnd().split('\n');
const widest = (text: string) => Math.max(...lines(text).map(displayWidth));

describe('a table on a terminal fits its width', () => {
  it('a row with a 600-character cell renders within the width; the narrow columns stay whole', () => {
    expect(ACTORS.length).toBeGreaterThanOrEqual(600);
    for (const width of [120, 100, 80]) {
      const text = toTable([churnRow], CHURN_COLUMNS, 50, width);
      expect(widest(text)).toBeLessThanOrEqual(width);
      const [header, rule, row, footer] = lines(text);
      expect(header).toMatch(/^day +\| account_id +\| region +\| created \| deleted \| net \| actors$/);
      expect(rule).toMatch(/^-+(-\+-+)+$/);
      // Narrow columns keep their full width: only the wide one is cut, with an ellipsis.
      expect(row).toContain(
        '2026-11-02 | 111122223333 | us-east-1 |       2 |       1 |   1 | arn:aws:sts::',
      );
      expect(row).toMatch(/…$/);
      // The wide column takes all the room that is left: the row is exactly as wide as allowed.
      expect(displayWidth(row ?? '')).toBe(width);
      expect(footer).toBe('(1 row)');
    }
  });

  it('narrower than its short columns, it hides middle ones and still fits', () => {
    const text = toTable([churnRow], CHURN_COLUMNS, 50, 60);
    expect(widest(text)).toBeLessThanOrEqual(60);
    expect(lines(text)[0]).toMatch(/^day +\| account_id +\| … \| .*\| actors$/);
    expect(lines(text)[2]).toMatch(/^2026-11-02 \| 111122223333 \| … \| .*\| arn:aws:sts.*…$/);
    expect(lines(text).at(-1)).toMatch(/^\(1 row, \d of 7 columns; --max-width 0 shows all\)$/);
  });

  it('with no limit (--max-width 0) every cell is whole', () => {
    const text = toTable([churnRow], CHURN_COLUMNS, 50, Number.POSITIVE_INFINITY);
    expect(text).toContain(ACTORS);
    expect(text).not.toContain('…');
  });

  it('CSV is never cut', () => {
    expect(toCsv([churnRow], CHURN_COLUMNS, '\n').split('\n')[1]).toBe(
      `2026-11-02,111122223333,us-east-1,2,1,1,"${ACTORS}"`,
    );
  });

  it('shares the width out: narrow columns whole, the wide ones equally', () => {
    expect(fitColumns([10, 12, 600], 80)).toEqual({ columns: [0, 1, 2], widths: [10, 12, 52], hidden: 0 });
    // Two wide columns split what the narrow one leaves (100 − 4 − 2 × 3 = 90).
    expect(fitColumns([300, 4, 200], 100).widths).toEqual([45, 4, 45]);
    // A wide column narrower than its share keeps its width; the rest goes to the widest.
    expect(fitColumns([30, 4, 200], 100).widths).toEqual([30, 4, 60]);
    // A table that fits is not touched.
    expect(fitColumns([5, 5], 13)).toEqual({ columns: [0, 1], widths: [5, 5], hidden: 0 });
  });

  it('hides middle columns behind one … column when too many cannot fit, and says so', () => {
    const names = Array.from({ length: 12 }, (_, i) => `column_${i}`);
    const row = Object.fromEntries(names.map((n, i) => [n, `value-${i}`]));
    const text = toTable([row, row], names, 50, 60);
    expect(widest(text)).toBeLessThanOrEqual(60);
    const [header, , first] = lines(text);
    const shown = (header ?? '').split(' | ').map((h) => h.trim());
    const cells = (first ?? '').split(' | ').map((c) => c.trim());
    // The first and the last columns stay; the middle ones are behind one … column.
    expect(cells[0]).toBe('value-0');
    expect(cells.at(-1)).toBe('value-11');
    expect(shown.filter((h) => h === '…')).toHaveLength(1);
    expect(cells.filter((c) => c === '…')).toHaveLength(1);
    expect(cells.indexOf('…')).toBe(shown.indexOf('…'));
    const hidden = names.length - (shown.length - 1);
    expect(text).toContain(
      `(2 rows, ${names.length - hidden} of ${names.length} columns; --max-width 0 shows all)`,
    );
    // No shown column is cut below the minimum.
    const layout = fitColumns(
      names.map(() => 17),
      60,
    );
    for (const [k, c] of layout.columns.entries())
      if (c !== null) expect(layout.widths[k]).toBeGreaterThanOrEqual(MIN_CUT_WIDTH);
  });

  it('counts East Asian wide characters and emoji as two columns and never splits a cluster', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('ｶﾀｶﾅ')).toBe(4); // halfwidth katakana
    expect(displayWidth('ＡＢ')).toBe(4); // fullwidth Latin
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('👍🏽')).toBe(2);
    expect(displayWidth('🇫🇷')).toBe(2);
    expect(displayWidth('✔\uFE0F')).toBe(2);
    expect(cutToWidth('日本語のテキスト', 7)).toBe('日本語…');
    expect(cutToWidth('👍🏽👍🏽👍🏽', 4)).toBe('👍🏽…');
    expect(cutToWidth('short', 5)).toBe('short');
    const row = { name: '東京リージョンのデータレイク'.repeat(10), n: 1 };
    const text = toTable([row], ['name', 'n'], 50, 40);
    expect(widest(text)).toBeLessThanOrEqual(40);
    expect(text).toContain('東京リージョン');
  });

  it('a numeric column lines its decimal points up: fractions to the same decimals, integers padded', () => {
    const rows = [
      { job: 'a', runs: 24, usd: 13.3 },
      { job: 'b', runs: 1, usd: 1.36 },
      { job: 'c', runs: 3, usd: 0 },
      { job: 'd', runs: null, usd: null },
    ];
    expect(lines(toTable(rows, ['job', 'runs', 'usd'], 50, 80)).slice(2, 6)).toEqual([
      'a   |   24 | 13.30',
      'b   |    1 |  1.36',
      'c   |    3 |  0',
      'd   |      |',
    ]);
    // Long binary fractions are left as they are rather than rounded by the table.
    expect(toTable([{ x: 0.1 + 0.2 }, { x: 1.5 }], ['x'], 50, 80)).toContain('0.30000000000000004\n');
  });

  it('shows control characters as escapes, so a value stays on its line and cannot drive the terminal', () => {
    const text = toTable(
      [{ message: 'first line\nsecond\tcolumn \u001b[31mred' }],
      ['message'],
      50,
      Number.POSITIVE_INFINITY,
    );
    expect(lines(text)[2]).toBe('first line\\nsecond\\tcolumn \\x1b[31mred');
    expect(text).not.toContain('\u001b');
  });
});

describe('which width a table gets', () => {
  const tty = captureIO({ isTTY: true, columns: 100 });
  const pipe = captureIO({ isTTY: false, columns: 100 });
  it('--max-width, else the terminal, else whole when piped or written to a file', () => {
    expect(tableWidth({ maxWidth: 60 }, pipe)).toBe(60);
    expect(tableWidth({ maxWidth: 0 }, tty)).toBe(Number.POSITIVE_INFINITY);
    expect(tableWidth({}, tty)).toBe(100);
    expect(tableWidth({}, pipe)).toBe(Number.POSITIVE_INFINITY);
    expect(tableWidth({ out: 'table.txt' }, tty)).toBe(Number.POSITIVE_INFINITY);
  });
  it("the terminal's width is what it reports, else COLUMNS, else 80", () => {
    expect(terminalColumns(132, '100')).toBe(132);
    expect(terminalColumns(0, '100')).toBe(100);
    expect(terminalColumns(undefined, undefined)).toBe(80);
    expect(terminalColumns(0, 'wide')).toBe(80);
  });
});

describe('lakeq sql --max-width', () => {
  const sql = `select '111122223333' as account_id, lpad('', 600, 'x') as actors, 42 as n`;
  const args = (...extra: string[]) => ['sql', sql, '--data-dir', dir, ...extra];

  it('on a terminal the table fits its width; --max-width sets another one', async () => {
    const io = captureIO({ isTTY: true, columns: 100 });
    expect(await main(args(), io)).toBe(0);
    expect(widest(io.stdout())).toBeLessThanOrEqual(100);
    expect(io.stdout()).toContain('111122223333 | xxxx');
    expect(io.stdout()).toContain('…');
    const narrow = captureIO({ isTTY: true, columns: 100 });
    expect(await main(args('--max-width', '50'), narrow)).toBe(0);
    expect(widest(narrow.stdout())).toBeLessThanOrEqual(50);
  });

  it('--max-width 0 keeps the 600-character cell whole, and so does a table piped without it', async () => {
    const whole = captureIO({ isTTY: true, columns: 100 });
    expect(await main(args('--max-width', '0'), whole)).toBe(0);
    expect(whole.stdout()).toContain(`| ${'x'.repeat(600)} |`);
    const piped = captureIO({ isTTY: false });
    expect(await main(args('--format', 'table'), piped)).toBe(0);
    expect(piped.stdout()).toContain('x'.repeat(600));
  });

  it('CSV and JSON are never cut, whatever --max-width says', async () => {
    const csv = captureIO({ isTTY: true, columns: 100 });
    expect(await main(args('--format', 'csv', '--max-width', '40'), csv)).toBe(0);
    expect(csv.stdout()).toBe(`account_id,actors,n\n111122223333,${'x'.repeat(600)},42\n`);
    const json = captureIO({ isTTY: true, columns: 100 });
    expect(await main(args('--format', 'json', '--max-width', '40'), json)).toBe(0);
    expect(JSON.parse(json.stdout())).toEqual([
      { account_id: '111122223333', actors: 'x'.repeat(600), n: 42 },
    ]);
  });

  it('refuses a width that cannot hold a table (exit 2)', async () => {
    for (const bad of ['5', '-1', 'wide', '']) {
      const io = captureIO({ isTTY: true });
      expect(await main(args(`--max-width=${bad}`), io)).toBe(2);
      expect(io.stderr()).toMatch(
        /^lakeq: --max-width must be 0 \(cells whole\) or a width of at least 10 columns/,
      );
    }
  });
});
