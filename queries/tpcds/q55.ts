import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q55: Store sales per brand of a manager. */
export default tpcdsQuery({
  number: 55,
  title: 'Store sales per brand of a manager',
  question: 'What did each brand of one manager sell in stores in one month?',
  text: `--TPC-DS Q55
select i_brand_id              brand_id,
       i_brand                 brand,
       sum(ss_ext_sales_price) ext_price
from date_dim,
     store_sales,
     item
where d_date_sk = ss_sold_date_sk
  and ss_item_sk = i_item_sk
  and i_manager_id = 20
  and d_moy = 12
  and d_year = 1998
group by i_brand, i_brand_id
order by ext_price desc, i_brand_id
limit 100`,
});
