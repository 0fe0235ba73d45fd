import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q22: Average inventory by product hierarchy. */
export default tpcdsQuery({
  number: 22,
  title: 'Average inventory by product hierarchy',
  question:
    'What was the average quantity on hand per product name, brand, class and category over twelve months?',
  text: `--TPC-DS Q22
select i_product_name
     , i_brand
     , i_class
     , i_category
     , avg(inv_quantity_on_hand) qoh
from inventory
   , date_dim
   , item
where inv_date_sk = d_date_sk
  and inv_item_sk = i_item_sk
  and d_month_seq between 1201 and 1201 + 11
group by rollup (i_product_name
       , i_brand
       , i_class
       , i_category)
order by qoh, i_product_name, i_brand, i_class, i_category
limit 100`,
});
