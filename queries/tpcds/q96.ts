import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q96: Store sales in an evening half-hour. */
export default tpcdsQuery({
  number: 96,
  title: 'Store sales in an evening half-hour',
  question:
    'How many store sales were there at one store between 20:30 and 21:00 for households with a number of dependants?',
  text: `--TPC-DS Q96
select count(*)
from store_sales
   , household_demographics
   , time_dim
   , store
where ss_sold_time_sk = time_dim.t_time_sk
  and ss_hdemo_sk = household_demographics.hd_demo_sk
  and ss_store_sk = s_store_sk
  and time_dim.t_hour = 8
  and time_dim.t_minute >= 30
  and household_demographics.hd_dep_count = 5
  and store.s_store_name = 'ese'
order by count(*)
limit 100`,
});
