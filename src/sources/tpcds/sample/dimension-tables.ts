import type { TpcdsTableName } from '../schema.ts';
import * as D from './domains.ts';
import { businessKey, listLiteral, type SqlRandom, selectList } from './sql-random.ts';

/** The first date key (1900-01-02) and the sales window's (1998-01-02 to 2003-01-02). */
export const DATE_SK_1900 = 2_415_022;
export const SALES_FIRST_DATE_SK = 2_450_816;
export const SALES_DAYS = 1_827;

/** The ZIPs of the stores' neighbourhood: a share of the customers live there (Q24, Q54 join them). */
export const STORE_ZIPS = D.ZIPS.filter((_, i) => i % 37 === 0);

/** What the dimension generators need: the rows of every table and the seeded random values. */
export interface GenerateContext {
  readonly counts: Readonly<Record<TpcdsTableName, number>>;
  readonly r: SqlRandom;
}

const dateOf = (sk: string) => `(DATE '1900-01-02' + ((${sk}) - ${DATE_SK_1900})::INTEGER)`;
const word = (r: SqlRandom, key: string, salt: number) => r.pick(key, salt, D.STREET_NAMES);
const words = (r: SqlRandom, key: string, salt: number, n: number) =>
  Array.from({ length: n }, (_, k) => word(r, key, salt + k)).join(" || ' ' || ");
/** dsdgen's way of spelling a number with syllables (`ought` 1, `ableought` 21). */
const syllables = (n: string) =>
  `(CASE WHEN (${n}) >= 100 THEN ${listLiteral(D.SYLLABLES)}[1 + ((${n}) // 100) % 10] ELSE '' END || CASE WHEN (${n}) >= 10 THEN ${listLiteral(D.SYLLABLES)}[1 + ((${n}) // 10) % 10] ELSE '' END || ${listLiteral(D.SYLLABLES)}[1 + (${n}) % 10])`;

/**
 * An address's columns under a prefix (`ca_`, `s_`, `w_`, `cc_`, `web_`): a share `near` of them
 * in the stores' neighbourhood (Williamson County, TN), the rest anywhere in the states.
 */
function address(r: SqlRandom, p: string, key: string, near: number): Record<string, string> {
  const isNear = `(${r.unit(key, 90)} < ${near})`;
  const state = r.int(key, 91, 0, D.STATES.length - 1);
  const states = listLiteral(D.STATES.map(([s]) => s));
  const offsets = listLiteral(D.STATES.map(([, o]) => o));
  return {
    [`${p}street_number`]: `(${r.int(key, 92, 1, 999)})::VARCHAR`,
    [`${p}street_name`]: words(r, key, 93, 2),
    [`${p}street_type`]: r.pick(key, 95, D.STREET_TYPES),
    [`${p}suite_number`]: `'Suite ' || (${r.int(key, 96, 0, 99)})::VARCHAR`,
    [`${p}city`]: `CASE WHEN ${isNear} THEN ${r.pick(key, 97, ['Fairview', 'Midway'])} ELSE ${r.pick(key, 97, D.CITIES)} END`,
    [`${p}county`]: `CASE WHEN ${isNear} THEN 'Williamson County' ELSE ${r.pick(key, 98, D.COUNTIES)} END`,
    [`${p}state`]: `CASE WHEN ${isNear} THEN 'TN' ELSE ${states}[1 + ${state}] END`,
    [`${p}zip`]: `CASE WHEN ${isNear} THEN ${r.pick(key, 99, STORE_ZIPS)} ELSE ${r.pick(key, 99, D.ZIPS)} END`,
    [`${p}country`]: `'United States'`,
    [`${p}gmt_offset`]: `CASE WHEN ${isNear} THEN -5 ELSE ${offsets}[1 + ${state}] END`,
  };
}

/** An organisation's place (store, warehouse, call centre, web site): in the stores' county, alternating GMT -5/-6. */
function site(r: SqlRandom, p: string, key: string): Record<string, string> {
  return {
    ...address(r, p, key, 1),
    [`${p}gmt_offset`]: `CASE WHEN ${key} % 2 = 1 THEN -5 ELSE -6 END`,
  };
}

/** Slowly changing dimensions: rows 2k-1 and 2k share a business key; the first revision ended, the second is current. */
function revision(sk: string, p: string, idName: string): Record<string, string> {
  return {
    [idName]: businessKey(`((${sk}) + 1) // 2`),
    [`${p}rec_start_date`]: `CASE WHEN (${sk}) % 2 = 1 THEN DATE '1997-03-13' ELSE DATE '2000-03-13' END`,
    [`${p}rec_end_date`]: `CASE WHEN (${sk}) % 2 = 1 THEN DATE '2000-03-12' ELSE NULL END`,
  };
}

const range = (n: number) => `FROM range(1, ${n + 1}) AS g(sk)`;

/** The SELECT that generates a dimension table (every table but the seven fact tables). */
export function dimensionSql(table: TpcdsTableName, c: GenerateContext): string {
  const { r, counts } = c;
  const n = counts[table];
  switch (table) {
    case 'date_dim':
      return `SELECT ${selectList('date_dim', {
        d_date_sk: 'sk',
        d_date_id: businessKey('sk'),
        d_date: 'd',
        d_month_seq: '(year(d) - 1900) * 12 + month(d) - 1',
        d_week_seq: "(date_diff('day', DATE '1899-12-31', d) // 7) + 1",
        d_quarter_seq: '(year(d) - 1900) * 4 + quarter(d)',
        d_year: 'year(d)',
        d_dow: 'dayofweek(d)',
        d_moy: 'month(d)',
        d_dom: 'day(d)',
        d_qoy: 'quarter(d)',
        d_fy_year: 'year(d)',
        d_fy_quarter_seq: '(year(d) - 1900) * 4 + quarter(d)',
        d_fy_week_seq: "(date_diff('day', DATE '1899-12-31', d) // 7) + 1",
        d_day_name: 'dayname(d)',
        d_quarter_name: "year(d)::VARCHAR || 'Q' || quarter(d)::VARCHAR",
        d_holiday:
          "CASE WHEN (month(d) = 1 AND day(d) = 1) OR (month(d) = 7 AND day(d) = 4) OR (month(d) = 12 AND day(d) = 25) OR (month(d) = 11 AND day(d) BETWEEN 22 AND 28 AND dayofweek(d) = 4) THEN 'Y' ELSE 'N' END",
        d_weekend: "CASE WHEN dayofweek(d) IN (0, 6) THEN 'Y' ELSE 'N' END",
        d_following_holiday:
          "CASE WHEN (month(d) = 1 AND day(d) = 2) OR (month(d) = 7 AND day(d) = 5) OR (month(d) = 12 AND day(d) = 26) THEN 'Y' ELSE 'N' END",
        d_first_dom: `sk - day(d) + 1`,
        d_last_dom: `sk + date_diff('day', d, last_day(d))`,
        d_same_day_ly: 'sk - 365',
        d_same_day_lq: 'sk - 91',
        d_current_day: "'N'",
        d_current_week: "'N'",
        d_current_month: "'N'",
        d_current_quarter: "'N'",
        d_current_year: "'N'",
      })} FROM (SELECT sk, ${dateOf('sk')} AS d FROM range(${DATE_SK_1900}, ${DATE_SK_1900 + n}) AS g(sk))`;
    case 'time_dim':
      return `SELECT ${selectList('time_dim', {
        t_time_sk: 'sk',
        t_time_id: businessKey('sk + 1'),
        t_time: 'sk',
        t_hour: 'sk // 3600',
        t_minute: '(sk // 60) % 60',
        t_second: 'sk % 60',
        t_am_pm: "CASE WHEN sk // 3600 < 12 THEN 'AM' ELSE 'PM' END",
        t_shift: "CASE WHEN sk // 3600 < 8 THEN 'third' WHEN sk // 3600 < 16 THEN 'first' ELSE 'second' END",
        t_sub_shift:
          "CASE WHEN sk // 3600 < 6 OR sk // 3600 >= 22 THEN 'night' WHEN sk // 3600 < 12 THEN 'morning' WHEN sk // 3600 < 18 THEN 'afternoon' ELSE 'evening' END",
        t_meal_time:
          "CASE WHEN sk // 3600 BETWEEN 6 AND 9 THEN 'breakfast' WHEN sk // 3600 BETWEEN 11 AND 13 THEN 'lunch' WHEN sk // 3600 BETWEEN 17 AND 20 THEN 'dinner' END",
      })} FROM range(0, ${n}) AS g(sk)`;
    case 'item': {
      const cat = r.int('sk', 1, 0, D.CATEGORIES.length - 1);
      const classLists = `[${D.CATEGORIES.map(([, cl]) => listLiteral(cl)).join(', ')}]`;
      return `SELECT ${selectList('item', {
        i_item_sk: 'sk',
        ...revision('sk', 'i_', 'i_item_id'),
        i_item_desc: words(r, 'sk', 10, 6),
        i_current_price: r.money('sk', 2, 0.09, 100),
        i_wholesale_cost: r.money('sk', 3, 0.02, 80),
        i_brand_id: `(cat + 1) * 1000000 + b1 * 10000 + b2 * 100 + bn`,
        i_brand: `${listLiteral(D.BRAND_FIRST)}[b1 + 1] || ${listLiteral(D.BRAND_SECOND)}[b2 + 1] || ' #' || bn::VARCHAR`,
        i_class_id: 'cls',
        i_class: `${classLists}[cat + 1][cls]`,
        i_category_id: 'cat + 1',
        i_category: `${listLiteral(D.CATEGORIES.map(([name]) => name))}[cat + 1]`,
        i_manufact_id: 'mf',
        i_manufact: syllables('mf % 100'),
        i_size: r.pick('sk', 5, D.SIZES),
        i_formulation: `lower(hex(${r.hash('sk', 6)}))`,
        i_color: r.pick('sk', 7, D.COLORS),
        i_units: r.pick('sk', 8, D.UNITS),
        i_container: "'Unknown'",
        i_manager_id: r.int('sk', 9, 1, 100),
        i_product_name: `${syllables('sk % 1000')} || ${syllables('(sk // 1000) % 1000')}`,
      })} FROM (SELECT sk, cat, b1, b2, bn, mf, 1 + (${r.hash('sk', 4)} % len(${classLists}[cat + 1]))::BIGINT AS cls FROM (
          SELECT sk, ${cat} AS cat, ${r.int('sk', 11, 0, D.BRAND_FIRST.length - 1)} AS b1,
            ${r.int('sk', 12, 0, D.BRAND_SECOND.length - 1)} AS b2, ${r.int('sk', 13, 1, D.BRAND_NUMBERS)} AS bn,
            ${r.int('sk', 14, 1, 1000)} AS mf ${range(n)}))`;
    }
    case 'customer':
      return `SELECT ${selectList('customer', {
        c_customer_sk: 'sk',
        c_customer_id: businessKey('sk'),
        c_current_cdemo_sk: r.int('sk', 1, 1, counts.customer_demographics),
        c_current_hdemo_sk: r.int('sk', 2, 1, counts.household_demographics),
        c_current_addr_sk: r.int('sk', 3, 1, counts.customer_address),
        c_first_shipto_date_sk: r.int('sk', 4, 2_449_028, 2_452_678),
        c_first_sales_date_sk: r.int('sk', 5, 2_448_998, 2_452_648),
        c_salutation: r.pick('sk', 6, D.SALUTATIONS),
        c_first_name: r.pick('sk', 7, D.FIRST_NAMES),
        c_last_name: r.pick('sk', 8, D.LAST_NAMES),
        c_preferred_cust_flag: r.pick('sk', 9, ['Y', 'N']),
        c_birth_day: r.int('sk', 10, 1, 28),
        c_birth_month: r.int('sk', 11, 1, 12),
        c_birth_year: r.int('sk', 12, 1924, 1992),
        c_birth_country: r.pick('sk', 13, D.COUNTRIES),
        c_login: 'NULL',
        c_email_address: `${r.pick('sk', 7, D.FIRST_NAMES)} || '.' || ${r.pick('sk', 8, D.LAST_NAMES)} || '@' || ${word(r, 'sk', 14)} || '.com'`,
        c_last_review_date_sk: r.int('sk', 15, 2_452_283, 2_452_648),
      })} ${range(n)}`;
    case 'customer_address':
      return `SELECT ${selectList('customer_address', {
        ca_address_sk: 'sk',
        ca_address_id: businessKey('sk'),
        ...address(r, 'ca_', 'sk', 0.3),
        ca_location_type: r.pick('sk', 1, ['single family', 'condo', 'apartment']),
      })} ${range(n)}`;
    case 'customer_demographics':
      // The full cross product of the demographics, gender varying fastest, as dsdgen writes it.
      return `SELECT ${selectList('customer_demographics', {
        cd_demo_sk: 'sk',
        cd_gender: "['M', 'F'][1 + (sk - 1) % 2]",
        cd_marital_status: `${listLiteral(D.MARITAL)}[1 + ((sk - 1) // 2) % 5]`,
        cd_education_status: `${listLiteral(D.EDUCATION)}[1 + ((sk - 1) // 10) % 7]`,
        cd_purchase_estimate: '500 * (1 + ((sk - 1) // 70) % 20)',
        cd_credit_rating: `${listLiteral(D.CREDIT)}[1 + ((sk - 1) // 1400) % 4]`,
        cd_dep_count: '((sk - 1) // 5600) % 7',
        cd_dep_employed_count: '((sk - 1) // 39200) % 7',
        cd_dep_college_count: '((sk - 1) // 274400) % 7',
      })} ${range(n)}`;
    case 'household_demographics':
      return `SELECT ${selectList('household_demographics', {
        hd_demo_sk: 'sk',
        hd_income_band_sk: `1 + (sk - 1) % ${counts.income_band}`,
        hd_buy_potential: `${listLiteral(D.BUY_POTENTIAL)}[1 + ((sk - 1) // 20) % 6]`,
        hd_dep_count: '((sk - 1) // 120) % 10',
        hd_vehicle_count: '((sk - 1) // 1200) % 6 - 1',
      })} ${range(n)}`;
    case 'income_band':
      return `SELECT ${selectList('income_band', {
        ib_income_band_sk: 'sk',
        ib_lower_bound: 'CASE WHEN sk = 1 THEN 0 ELSE (sk - 1) * 10000 + 1 END',
        ib_upper_bound: 'sk * 10000',
      })} ${range(n)}`;
    case 'store':
      return `SELECT ${selectList('store', {
        s_store_sk: 'sk',
        ...revision('sk', 's_', 's_store_id'),
        s_closed_date_sk: 'NULL',
        s_store_name: syllables('(sk + 1) // 2'),
        s_number_employees: r.int('sk', 1, 200, 300),
        s_floor_space: r.int('sk', 2, 5_000_000, 10_000_000),
        s_hours: r.pick('sk', 3, D.HOURS),
        s_manager: `${r.pick('sk', 4, D.FIRST_NAMES)} || ' ' || ${r.pick('sk', 5, D.LAST_NAMES)}`,
        s_market_id: '1 + (sk - 1) % 10',
        s_geography_class: "'Unknown'",
        s_market_desc: words(r, 'sk', 6, 5),
        s_market_manager: `${r.pick('sk', 11, D.FIRST_NAMES)} || ' ' || ${r.pick('sk', 12, D.LAST_NAMES)}`,
        s_division_id: '1',
        s_division_name: "'Unknown'",
        s_company_id: '1',
        s_company_name: "'Unknown'",
        ...site(r, 's_', 'sk'),
        s_tax_precentage: r.money('sk', 13, 0, 0.11),
      })} ${range(n)}`;
    case 'call_center':
      return `SELECT ${selectList('call_center', {
        cc_call_center_sk: 'sk',
        ...revision('sk', 'cc_', 'cc_call_center_id'),
        cc_closed_date_sk: 'NULL',
        cc_open_date_sk: r.int('sk', 1, 2_450_000, 2_451_000),
        cc_name: `${listLiteral(['NY Metro', 'Mid Atlantic', 'North Midwest', 'California', 'Pacific Northwest', 'Hawaii/Alaska'])}[1 + ((sk - 1) // 2) % 6]`,
        cc_class: r.pick('sk', 2, D.CALL_CENTER_CLASSES),
        cc_employees: r.int('sk', 3, 1, 7000),
        cc_sq_ft: r.int('sk', 4, 1000, 100_000),
        cc_hours: r.pick('sk', 5, D.HOURS),
        cc_manager: `${r.pick('sk', 6, D.FIRST_NAMES)} || ' ' || ${r.pick('sk', 7, D.LAST_NAMES)}`,
        cc_mkt_id: r.int('sk', 8, 1, 6),
        cc_mkt_class: words(r, 'sk', 9, 4),
        cc_mkt_desc: words(r, 'sk', 13, 6),
        cc_market_manager: `${r.pick('sk', 19, D.FIRST_NAMES)} || ' ' || ${r.pick('sk', 20, D.LAST_NAMES)}`,
        cc_division: r.int('sk', 21, 1, 6),
        cc_division_name: syllables(r.int('sk', 21, 1, 6)),
        cc_company: r.int('sk', 22, 1, 6),
        cc_company_name: syllables(r.int('sk', 22, 1, 6)),
        ...site(r, 'cc_', 'sk'),
        cc_tax_percentage: r.money('sk', 23, 0, 0.12),
      })} ${range(n)}`;
    case 'catalog_page':
      return `SELECT ${selectList('catalog_page', {
        cp_catalog_page_sk: 'sk',
        cp_catalog_page_id: businessKey('sk'),
        cp_start_date_sk: `${SALES_FIRST_DATE_SK - 1} + ((sk - 1) // 108) * 30`,
        cp_end_date_sk: `${SALES_FIRST_DATE_SK - 1} + ((sk - 1) // 108) * 30 + 29`,
        cp_department: "'DEPARTMENT'",
        cp_catalog_number: '1 + (sk - 1) // 108',
        cp_catalog_page_number: '1 + (sk - 1) % 108',
        cp_description: words(r, 'sk', 1, 8),
        cp_type: `${listLiteral(D.CATALOG_PAGE_TYPES)}[1 + ((sk - 1) // 108) % 3]`,
      })} ${range(n)}`;
    case 'promotion':
      return `SELECT ${selectList('promotion', {
        p_promo_sk: 'sk',
        p_promo_id: businessKey('sk'),
        p_start_date_sk: r.int('sk', 1, SALES_FIRST_DATE_SK, SALES_FIRST_DATE_SK + SALES_DAYS - 60),
        p_end_date_sk: `${r.int('sk', 1, SALES_FIRST_DATE_SK, SALES_FIRST_DATE_SK + SALES_DAYS - 60)} + ${r.int('sk', 2, 1, 60)}`,
        p_item_sk: r.int('sk', 3, 1, counts.item),
        p_cost: '1000.00',
        p_response_targe: '1',
        p_promo_name: syllables('sk % 1000'),
        p_channel_dmail: r.pick('sk', 4, ['Y', 'N']),
        p_channel_email: r.pick('sk', 5, ['Y', 'N']),
        p_channel_catalog: r.pick('sk', 6, ['Y', 'N']),
        p_channel_tv: r.pick('sk', 7, ['Y', 'N']),
        p_channel_radio: r.pick('sk', 8, ['Y', 'N']),
        p_channel_press: r.pick('sk', 9, ['Y', 'N']),
        p_channel_event: r.pick('sk', 10, ['Y', 'N']),
        p_channel_demo: r.pick('sk', 11, ['Y', 'N']),
        p_channel_details: words(r, 'sk', 12, 6),
        p_purpose: "'Unknown'",
        p_discount_active: r.pick('sk', 18, ['Y', 'N']),
      })} ${range(n)}`;
    case 'reason':
      return `SELECT ${selectList('reason', {
        r_reason_sk: 'sk',
        r_reason_id: businessKey('sk'),
        r_reason_desc: `${listLiteral(D.REASONS)}[1 + (sk - 1) % ${D.REASONS.length}]`,
      })} ${range(n)}`;
    case 'ship_mode':
      return `SELECT ${selectList('ship_mode', {
        sm_ship_mode_sk: 'sk',
        sm_ship_mode_id: businessKey('sk'),
        sm_type: `${listLiteral(D.SHIP_MODE_TYPES)}[1 + (sk - 1) % 6]`,
        sm_code: `${listLiteral(D.SHIP_MODE_CODES)}[1 + (sk - 1) // 6 % 6]`,
        sm_carrier: `${listLiteral(D.CARRIERS)}[1 + (sk - 1) % ${D.CARRIERS.length}]`,
        sm_contract: `lower(hex(${r.hash('sk', 1)}))`,
      })} ${range(n)}`;
    case 'warehouse':
      return `SELECT ${selectList('warehouse', {
        w_warehouse_sk: 'sk',
        w_warehouse_id: businessKey('sk'),
        w_warehouse_name: words(r, 'sk', 1, 2),
        w_warehouse_sq_ft: r.int('sk', 3, 50_000, 1_000_000),
        ...site(r, 'w_', 'sk'),
      })} ${range(n)}`;
    case 'web_page':
      return `SELECT ${selectList('web_page', {
        wp_web_page_sk: 'sk',
        ...revision('sk', 'wp_', 'wp_web_page_id'),
        wp_creation_date_sk: r.int('sk', 1, 2_450_800, 2_450_815),
        wp_access_date_sk: r.int('sk', 2, 2_452_548, 2_452_648),
        wp_autogen_flag: r.pick('sk', 3, ['Y', 'N']),
        wp_customer_sk: r.nullable(r.int('sk', 4, 1, counts.customer), 'sk', 5, 0.7),
        wp_url: "'http://www.foo.com'",
        wp_type: r.pick('sk', 6, D.WEB_PAGE_TYPES),
        wp_char_count: r.int('sk', 7, 100, 8000),
        wp_link_count: r.int('sk', 8, 2, 25),
        wp_image_count: r.int('sk', 9, 1, 7),
        wp_max_ad_count: r.int('sk', 10, 0, 4),
      })} ${range(n)}`;
    case 'web_site':
      return `SELECT ${selectList('web_site', {
        web_site_sk: 'sk',
        ...revision('sk', 'web_', 'web_site_id'),
        web_name: "'site_' || ((sk - 1) // 2)::VARCHAR",
        web_open_date_sk: r.int('sk', 1, 2_450_000, 2_450_800),
        web_close_date_sk: 'NULL',
        web_class: "'Unknown'",
        web_manager: `${r.pick('sk', 2, D.FIRST_NAMES)} || ' ' || ${r.pick('sk', 3, D.LAST_NAMES)}`,
        web_mkt_id: r.int('sk', 4, 1, 6),
        web_mkt_class: words(r, 'sk', 5, 4),
        web_mkt_desc: words(r, 'sk', 9, 6),
        web_market_manager: `${r.pick('sk', 15, D.FIRST_NAMES)} || ' ' || ${r.pick('sk', 16, D.LAST_NAMES)}`,
        web_company_id: '1 + (sk - 1) % 6',
        web_company_name: `${listLiteral(D.SYLLABLES)}[2 + (sk - 1) % 6]`,
        ...site(r, 'web_', 'sk'),
        web_tax_percentage: r.money('sk', 17, 0, 0.12),
      })} ${range(n)}`;
    default:
      throw new Error(`tpcds ${table} is a fact table`);
  }
}
