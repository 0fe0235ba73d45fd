import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q90: Morning to evening web sales. */
export default tpcdsQuery({
  number: 90,
  title: 'Morning to evening web sales',
  question:
    'What is the ratio of morning to evening web sales for households with a number of dependants, on pages of a given size?',
  text: `--TPC-DS Q90
select cast(amc as decimal(15, 4)) / cast(pmc as decimal(15, 4)) am_pm_ratio
from (select count(*) amc
      from web_sales,
           household_demographics,
           time_dim,
           web_page
      where ws_sold_time_sk = time_dim.t_time_sk
        and ws_ship_hdemo_sk = household_demographics.hd_demo_sk
        and ws_web_page_sk = web_page.wp_web_page_sk
        and time_dim.t_hour between 9 and 9 + 1
        and household_demographics.hd_dep_count = 2
        and web_page.wp_char_count between 5000 and 5200) at,
     (select count(*) pmc
      from web_sales,
           household_demographics,
           time_dim,
           web_page
      where ws_sold_time_sk = time_dim.t_time_sk
        and ws_ship_hdemo_sk = household_demographics.hd_demo_sk
        and ws_web_page_sk = web_page.wp_web_page_sk
        and time_dim.t_hour between 15 and 15 + 1
        and household_demographics.hd_dep_count = 2
        and web_page.wp_char_count between 5000 and 5200) pt
order by am_pm_ratio
limit 100`,
});
