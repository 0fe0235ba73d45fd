import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q3: Brand sales of a manufacturer in one month. */
export default tpcdsQuery({
  number: 3,
  title: 'Brand sales of a manufacturer in one month',
  question: 'What did the brands of one manufacturer sell in stores in one month of the year, year by year?',
  text: `--TPC-DS Q3
select dt.d_year
     , item.i_brand_id    brand_id
     , item.i_brand       brand
     , sum(ss_net_profit) sum_agg
from date_dim dt
   , store_sales
   , item
where dt.d_date_sk = store_sales.ss_sold_date_sk
  and store_sales.ss_item_sk = item.i_item_sk
  and item.i_manufact_id = 445
  and dt.d_moy = 12
group by dt.d_year
       , item.i_brand
       , item.i_brand_id
order by dt.d_year
       , sum_agg desc
       , brand_id
limit 100`,
});
