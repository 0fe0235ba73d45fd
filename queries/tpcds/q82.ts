import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q82: Items in stock and sold in stores. */
export default tpcdsQuery({
  number: 82,
  title: 'Items in stock and sold in stores',
  question:
    'Which items of four manufacturers in a price band had 100 to 500 in stock in 60 days and sold in stores?',
  text: `--TPC-DS Q82
select i_item_id
     , i_item_desc
     , i_current_price
from item,
     inventory,
     date_dim,
     store_sales
where i_current_price between 69 and 69 + 30
  and inv_item_sk = i_item_sk
  and d_date_sk = inv_date_sk
  and d_date between cast('1998-06-06' as date) and date_add('day', 60, cast('1998-06-06' as date))
  and i_manufact_id in (105, 513, 180, 137)
  and inv_quantity_on_hand between 100 and 500
  and ss_item_sk = i_item_sk
group by i_item_id, i_item_desc, i_current_price
order by i_item_id
limit 100`,
});
