import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q92: Excess web discounts of a manufacturer. */
export default tpcdsQuery({
  number: 92,
  title: 'Excess web discounts of a manufacturer',
  question:
    "What web discount above 1.3 times the item's average did one manufacturer's items get in 90 days?",
  text: `--TPC-DS Q92
select sum(ws_ext_discount_amt) as "Excess Discount Amount"
from web_sales
   , item
   , date_dim
where i_manufact_id = 914
  and i_item_sk = ws_item_sk
  and d_date between date('2001-01-25') and
    date_add('day', 90, cast('2001-01-25' as date))
  and d_date_sk = ws_sold_date_sk
  and ws_ext_discount_amt
    > (SELECT 1.3 * avg(ws_ext_discount_amt)
       FROM web_sales
          , date_dim
       WHERE ws_item_sk = i_item_sk
         and d_date between date('2001-01-25') and
           date_add('day', 90, cast('2001-01-25' as date))
         and d_date_sk = ws_sold_date_sk)
order by sum(ws_ext_discount_amt)
limit 100`,
});
