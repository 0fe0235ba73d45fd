import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q29: Quantities bought, returned and bought again. */
export default tpcdsQuery({
  number: 29,
  title: 'Quantities bought, returned and bought again',
  question:
    'How much of each item did customers buy in a store in one month, return and then buy from the catalog over three years, per item and store?',
  text: `--TPC-DS Q29
select i_item_id
     , i_item_desc
     , s_store_id
     , s_store_name
     , stddev_samp(ss_quantity)        as store_sales_quantity
     , stddev_samp(sr_return_quantity) as store_returns_quantity
     , stddev_samp(cs_quantity)        as catalog_sales_quantity
from store_sales
   , store_returns
   , catalog_sales
   , date_dim d1
   , date_dim d2
   , date_dim d3
   , store
   , item
where d1.d_moy = 4
  and d1.d_year = 1999
  and d1.d_date_sk = ss_sold_date_sk
  and i_item_sk = ss_item_sk
  and s_store_sk = ss_store_sk
  and ss_customer_sk = sr_customer_sk
  and ss_item_sk = sr_item_sk
  and ss_ticket_number = sr_ticket_number
  and sr_returned_date_sk = d2.d_date_sk
  and d2.d_moy between 4 and 4 + 3
  and d2.d_year = 1999
  and sr_customer_sk = cs_bill_customer_sk
  and sr_item_sk = cs_item_sk
  and cs_sold_date_sk = d3.d_date_sk
  and d3.d_year in (1999, 1999 + 1, 1999 + 2)
group by i_item_id
       , i_item_desc
       , s_store_id
       , s_store_name
order by i_item_id
       , i_item_desc
       , s_store_id
       , s_store_name
limit 100`,
});
