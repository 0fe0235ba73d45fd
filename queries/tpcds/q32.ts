import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q32: Excess catalog discounts of a manufacturer. */
export default tpcdsQuery({
  number: 32,
  title: 'Excess catalog discounts of a manufacturer',
  question:
    "What catalog discount above 1.3 times the item's average did one manufacturer's items get in 90 days?",
  text: `--TPC-DS Q32
select sum(cs_ext_discount_amt) as "excess discount amount"
from catalog_sales
   , item
   , date_dim
where i_manufact_id = 283
  and i_item_sk = cs_item_sk
  and d_date between date('1999-02-22') and
    date_add('day', 90, cast('1999-02-22' as date))
  and d_date_sk = cs_sold_date_sk
  and cs_ext_discount_amt
    > (select 1.3 * avg(cs_ext_discount_amt)
       from catalog_sales
          , date_dim
       where cs_item_sk = i_item_sk
         and d_date between date('1999-02-22') and
           date_add('day', 90, cast('1999-02-22' as date))
         and d_date_sk = cs_sold_date_sk)
limit 100`,
});
