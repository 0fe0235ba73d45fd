import { type GenerateContext, SALES_DAYS, SALES_FIRST_DATE_SK } from './dimension-tables.ts';
import { currentItems, INVENTORY_WEEKS } from './row-counts.ts';
import { listLiteral, type SqlRandom, selectList, sqlString } from './sql-random.ts';

/**
 * Line items per ticket or order, in turn: every size from 1 to 20 occurs (Q73 counts tickets of
 * 1–5 lines, Q34 of 15–20), 210 lines per 20 tickets.
 */
const SIZES = [12, 3, 17, 8, 20, 1, 14, 6, 10, 19, 4, 15, 9, 2, 18, 11, 7, 16, 5, 13];
const BLOCK = SIZES.reduce((a, b) => a + b, 0);
const SLOT: number[] = SIZES.flatMap((size, slot) => Array.from({ length: size }, () => slot));
const LINE: number[] = SIZES.flatMap((size) => Array.from({ length: size }, (_, line) => line));

/** Rows 0..n-1 grouped into tickets: `i`, the ticket or order number `tk` (from 1), the line within it. */
function lines(n: number): string {
  return `SELECT i, (i // ${BLOCK}) * ${SIZES.length} + ${listLiteral(SLOT)}[i % ${BLOCK} + 1] + 1 AS tk,
    ${listLiteral(LINE)}[i % ${BLOCK} + 1] AS line FROM range(0, ${n}) AS g(i)`;
}

/** A ticket's distinct items: the ticket's first item, then a stride that cannot wrap within 20 lines. */
function itemOf(r: SqlRandom, items: number): string {
  const stride = items > 7 * 20 ? 7 : 1;
  return `(((${r.hash('tk', 2)} % ${items})::BIGINT + line * ${stride}) % ${items} + 1)`;
}

/** Quantity, wholesale cost, list and sales price of a line, and its money columns' inputs. */
function pricing(r: SqlRandom): string {
  return `${r.int('i', 3, 1, 100)} AS qty, ${r.money('i', 4, 1, 100)} AS wc, ${r.unit('i', 5)} AS mk,
    ${r.unit('i', 6)} AS disc, ${r.money('i', 7, 0, 0.09)} AS taxp,
    CASE WHEN ${r.unit('i', 8)} < 0.2 THEN ${r.unit('i', 9)} ELSE 0 END AS cpn, ${r.unit('i', 10)} AS ship`;
}
// List price up to three times the wholesale cost, sales price up to 90% off it (dsdgen's spread: Q85 selects 150–200).
const PRICES = `*, round(wc * (1 + 2 * mk), 2) AS lp, round(round(wc * (1 + 2 * mk), 2) * (1 - disc * 0.9), 2) AS sp`;

/** The sale's money columns, `p` its prefix. */
function money(p: string, withShip: boolean): Record<string, string> {
  const paid = 'round(qty * sp - round(qty * sp * cpn, 2), 2)';
  const tax = 'round(qty * sp * taxp, 2)';
  const shipCost = 'round(qty * lp * ship * 0.5, 2)';
  return {
    [`${p}quantity`]: 'qty',
    [`${p}wholesale_cost`]: 'wc',
    [`${p}list_price`]: 'lp',
    [`${p}sales_price`]: 'sp',
    [`${p}ext_discount_amt`]: 'round(qty * (lp - sp), 2)',
    [`${p}ext_sales_price`]: 'round(qty * sp, 2)',
    [`${p}ext_wholesale_cost`]: 'round(qty * wc, 2)',
    [`${p}ext_list_price`]: 'round(qty * lp, 2)',
    [`${p}ext_tax`]: tax,
    [`${p}coupon_amt`]: 'round(qty * sp * cpn, 2)',
    [`${p}net_paid`]: paid,
    [`${p}net_paid_inc_tax`]: `${paid} + ${tax}`,
    ...(withShip
      ? {
          [`${p}ext_ship_cost`]: shipCost,
          [`${p}net_paid_inc_ship`]: `${paid} + ${shipCost}`,
          [`${p}net_paid_inc_ship_tax`]: `${paid} + ${shipCost} + ${tax}`,
          [`${p}net_profit`]: `${paid} - round(qty * wc, 2)`,
        }
      : { [`${p}net_profit`]: `${paid} - round(qty * wc, 2)` }),
  };
}

const soldDate = (r: SqlRandom) => `${SALES_FIRST_DATE_SK} + ${r.int('tk', 1, 0, SALES_DAYS - 1)}`;

/** Salt offsets per sales channel (SqlRandom.channel). */
const CHANNEL_SALT = { store_sales: 0, catalog_sales: 1000, web_sales: 2000, inventory: 3000 } as const;

/** The SELECT of a sales table; `inventory`'s too. */
export function salesSql(
  table: 'store_sales' | 'catalog_sales' | 'web_sales' | 'inventory',
  c: GenerateContext,
): string {
  const { counts } = c;
  // Each channel draws its own sales: ticket 7 of the stores is not order 7 of the web.
  const r = c.r.channel(CHANNEL_SALT[table]);
  const base = (n: number) =>
    `FROM (SELECT ${PRICES} FROM (SELECT i, tk, line, ${itemOf(r, counts.item)} AS item,
      ${r.int('tk', 12, 1, counts.customer)} AS cust, ${r.int('tk', 25, 1, counts.customer)} AS other_cust,
      ${pricing(r)} FROM (${lines(n)})))`;
  switch (table) {
    case 'store_sales':
      return `SELECT ${selectList('store_sales', {
        ss_sold_date_sk: soldDate(r),
        ss_sold_time_sk: r.int('tk', 11, 0, 86_399),
        ss_item_sk: 'item',
        // Some sales miss a key, as dsdgen's do (Q76 counts them).
        ss_customer_sk: r.nullable('cust', 'tk', 50, 0.02),
        ss_cdemo_sk: current(r, 'cust', 'cdemo', 13, c),
        ss_hdemo_sk: r.nullable(current(r, 'cust', 'hdemo', 14, c), 'tk', 15, 0.03),
        ss_addr_sk: current(r, 'cust', 'addr', 16, c),
        ss_store_sk: r.int('tk', 17, 1, counts.store),
        ss_promo_sk: r.int('i', 18, 1, counts.promotion),
        ss_ticket_number: 'tk',
        ...money('ss_', false),
      })} ${base(counts.store_sales)}`;
    case 'catalog_sales':
      return `SELECT ${selectList('catalog_sales', {
        cs_sold_date_sk: soldDate(r),
        cs_sold_time_sk: r.int('tk', 11, 0, 86_399),
        cs_ship_date_sk: `${soldDate(r)} + ${r.int('tk', 19, 2, 90)}`,
        ...orderParties(r, 'cs_', c),
        cs_call_center_sk: r.int('tk', 30, 1, counts.call_center),
        cs_catalog_page_sk: r.int('tk', 31, 1, counts.catalog_page),
        cs_ship_mode_sk: r.int('i', 32, 1, counts.ship_mode),
        cs_warehouse_sk: r.int('i', 33, 1, counts.warehouse),
        cs_item_sk: 'item',
        cs_promo_sk: r.int('i', 18, 1, counts.promotion),
        cs_order_number: 'tk',
        ...money('cs_', true),
      })} ${base(counts.catalog_sales)}`;
    case 'web_sales':
      return `SELECT ${selectList('web_sales', {
        ws_sold_date_sk: soldDate(r),
        ws_sold_time_sk: r.int('tk', 11, 0, 86_399),
        ws_ship_date_sk: `${soldDate(r)} + ${r.int('tk', 19, 1, 120)}`,
        ws_item_sk: 'item',
        ...orderParties(r, 'ws_', c),
        ws_web_page_sk: r.int('i', 30, 1, counts.web_page),
        ws_web_site_sk: r.int('tk', 31, 1, counts.web_site),
        ws_ship_mode_sk: r.int('i', 32, 1, counts.ship_mode),
        ws_warehouse_sk: r.int('i', 33, 1, counts.warehouse),
        ws_promo_sk: r.int('i', 18, 1, counts.promotion),
        ws_order_number: 'tk',
        ...money('ws_', true),
      })} ${base(counts.web_sales)}`;
    case 'inventory': {
      const items = currentItems(counts.item);
      const per = items * counts.warehouse;
      return `SELECT ${selectList('inventory', {
        inv_date_sk: `${SALES_FIRST_DATE_SK - 1} + 7 * (i // ${per})`,
        inv_item_sk: `2 * ((i % ${per}) // ${counts.warehouse}) + ${counts.item >= 2 ? 2 : 1}`,
        inv_warehouse_sk: `1 + i % ${counts.warehouse}`,
        // Skewed (u³): a warehouse's weekly counts of an item vary a lot, as Q39 looks for.
        inv_quantity_on_hand: r.nullable(`floor(1000 * pow(${r.unit('i', 1)}, 3))`, 'i', 2, 0.02),
      })} FROM range(0, ${INVENTORY_WEEKS * per}) AS g(i)`;
    }
  }
}

/** The salts of the customer table's current demographics and address (dimension-tables.ts, `customer`). */
const CURRENT = { cdemo: 1, hdemo: 2, addr: 3 } as const;
const CURRENT_OF = {
  cdemo: 'customer_demographics',
  hdemo: 'household_demographics',
  addr: 'customer_address',
} as const;

/**
 * A sale's demographics or address: the customer's current ones (the same hash the customer table
 * is generated with) four times in five, others otherwise (the customer moved, or bought for someone).
 */
function current(
  r: SqlRandom,
  customer: string,
  what: keyof typeof CURRENT,
  salt: number,
  c: GenerateContext,
): string {
  const n = c.counts[CURRENT_OF[what]];
  return `CASE WHEN ${r.unit('tk', 40 + salt)} < 0.8 THEN ${c.r.int(customer, CURRENT[what], 1, n)} ELSE ${r.int('tk', salt, 1, n)} END`;
}

/** Who bought and who it shipped to: the same customer nine times in ten. */
function orderParties(r: SqlRandom, p: string, c: GenerateContext): Record<string, string> {
  const same = `${r.unit('tk', 20)} < 0.9`;
  const out: Record<string, string> = {
    [`${p}bill_customer_sk`]: p === 'cs_' ? r.nullable('cust', 'tk', 50, 0.02) : 'cust',
    [`${p}ship_customer_sk`]: `CASE WHEN ${same} THEN cust ELSE other_cust END`,
  };
  for (const [k, salt] of [
    ['cdemo', 22],
    ['hdemo', 23],
    ['addr', 24],
  ] as const) {
    out[`${p}bill_${k}_sk`] = current(r, 'cust', k, salt, c);
    out[`${p}ship_${k}_sk`] =
      `CASE WHEN ${same} THEN ${current(r, 'cust', k, salt, c)} ELSE ${current(r, 'other_cust', k, salt + 4, c)} END`;
    // Some web sales miss the ship-to household (Q76 counts them).
    if (p === 'ws_' && k === 'hdemo')
      out.ws_ship_hdemo_sk = r.nullable(out.ws_ship_hdemo_sk as string, 'tk', 51, 0.02);
  }
  return out;
}

/**
 * The SELECT of a returns table: `n` of the sales written to `salesFiles`, chosen by a seeded
 * hash, each returned 1–120 days after it was sold (catalog and web: shipped), with part of its
 * quantity and amounts in proportion.
 */
export function returnsSql(
  table: 'store_returns' | 'catalog_returns' | 'web_returns',
  salesFiles: string,
  c: GenerateContext,
): string {
  const { counts } = c;
  const r = c.r.channel({ store_returns: 4000, catalog_returns: 5000, web_returns: 6000 }[table]);
  const n = counts[table];
  const p = { store_returns: 'ss_', catalog_returns: 'cs_', web_returns: 'ws_' }[table];
  const key = {
    store_returns: 'ss_ticket_number',
    catalog_returns: 'cs_order_number',
    web_returns: 'ws_order_number',
  }[table];
  const from = `FROM (SELECT *, ${r.int('k', 2, 1, `${p}quantity`)} AS rq, ${r.unit('k', 3)} AS split1, ${r.unit('k', 4)} AS split2
    FROM (SELECT *, (${key} * 1000003 + ${p}item_sk) AS k FROM read_parquet(${sqlString(salesFiles)}, hive_partitioning = true)
      ORDER BY ${r.hash(`${key} * 1000003 + ${p}item_sk`, 1)}, ${key}, ${p}item_sk LIMIT ${n}))`;
  const amounts = (q: string) => ({
    amt: `round(rq * ${p}sales_price, 2)`,
    tax: `round(rq * ${p}sales_price * ${q}, 2)`,
    fee: r.money('k', 5, 0.5, 100),
    ship: `round(rq * ${p}list_price * 0.05, 2)`,
  });
  const a = amounts('0.05');
  const returned = (after: string) => `${after} + ${r.int('k', 6, 1, 120)}`;
  const cash = `round(${a.amt} * split1, 2)`;
  const reversed = `round((${a.amt} - ${cash}) * split2, 2)`;
  const credit = `${a.amt} - ${cash} - ${reversed}`;
  const common = (q: string) => ({
    [`${q}return_quantity`]: 'rq',
    [`${q}return_tax`]: a.tax,
    [`${q}return_amt_inc_tax`]: `${a.amt} + ${a.tax}`,
    [`${q}fee`]: a.fee,
    [`${q}return_ship_cost`]: a.ship,
    [`${q}refunded_cash`]: cash,
    [`${q}reversed_charge`]: reversed,
    [`${q}net_loss`]: `${a.ship} + ${a.fee} + ${a.tax}`,
  });
  switch (table) {
    case 'store_returns':
      return `SELECT ${selectList('store_returns', {
        sr_returned_date_sk: returned('ss_sold_date_sk'),
        sr_return_time_sk: r.int('k', 7, 0, 86_399),
        sr_item_sk: 'ss_item_sk',
        sr_customer_sk: 'ss_customer_sk',
        sr_cdemo_sk: 'ss_cdemo_sk',
        sr_hdemo_sk: 'ss_hdemo_sk',
        sr_addr_sk: 'ss_addr_sk',
        sr_store_sk: 'ss_store_sk',
        sr_reason_sk: r.int('k', 8, 1, counts.reason),
        sr_ticket_number: 'ss_ticket_number',
        sr_return_amt: a.amt,
        sr_store_credit: credit,
        ...common('sr_'),
      })} ${from}`;
    case 'catalog_returns':
      return `SELECT ${selectList('catalog_returns', {
        cr_returned_date_sk: returned('cs_ship_date_sk'),
        cr_returned_time_sk: r.int('k', 7, 0, 86_399),
        cr_item_sk: 'cs_item_sk',
        cr_refunded_customer_sk: 'cs_bill_customer_sk',
        cr_refunded_cdemo_sk: 'cs_bill_cdemo_sk',
        cr_refunded_hdemo_sk: 'cs_bill_hdemo_sk',
        cr_refunded_addr_sk: 'cs_bill_addr_sk',
        cr_returning_customer_sk: 'cs_ship_customer_sk',
        cr_returning_cdemo_sk: 'cs_ship_cdemo_sk',
        cr_returning_hdemo_sk: 'cs_ship_hdemo_sk',
        cr_returning_addr_sk: 'cs_ship_addr_sk',
        cr_call_center_sk: 'cs_call_center_sk',
        cr_catalog_page_sk: 'cs_catalog_page_sk',
        cr_ship_mode_sk: 'cs_ship_mode_sk',
        cr_warehouse_sk: 'cs_warehouse_sk',
        cr_reason_sk: r.int('k', 8, 1, counts.reason),
        cr_order_number: 'cs_order_number',
        cr_return_amount: a.amt,
        cr_store_credit: credit,
        ...common('cr_'),
      })} ${from}`;
    case 'web_returns':
      return `SELECT ${selectList('web_returns', {
        wr_returned_date_sk: returned('ws_ship_date_sk'),
        wr_returned_time_sk: r.int('k', 7, 0, 86_399),
        wr_item_sk: 'ws_item_sk',
        wr_refunded_customer_sk: 'ws_bill_customer_sk',
        wr_refunded_cdemo_sk: 'ws_bill_cdemo_sk',
        wr_refunded_hdemo_sk: 'ws_bill_hdemo_sk',
        wr_refunded_addr_sk: 'ws_bill_addr_sk',
        wr_returning_customer_sk: 'ws_ship_customer_sk',
        wr_returning_cdemo_sk: 'ws_ship_cdemo_sk',
        wr_returning_hdemo_sk: 'ws_ship_hdemo_sk',
        wr_returning_addr_sk: 'ws_ship_addr_sk',
        wr_web_page_sk: 'ws_web_page_sk',
        wr_reason_sk: r.int('k', 8, 1, counts.reason),
        wr_order_number: 'ws_order_number',
        wr_return_amt: a.amt,
        wr_account_credit: credit,
        ...common('wr_'),
      })} ${from}`;
  }
}
