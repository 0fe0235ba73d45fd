import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q20: Catalog revenue of items and their share of the class. */
export default tpcdsQuery({
  number: 20,
  title: 'Catalog revenue of items and their share of the class',
  question:
    "What did each item of three categories earn from the catalog in 30 days, and what share of its class's revenue is that?",
  text: `--TPC-DS Q20
select i_item_id
     , i_item_desc
     , i_category
     , i_class
     , i_current_price
     , sum(cs_ext_sales_price) as itemrevenue
     , sum(cs_ext_sales_price) * 100 / sum(sum(cs_ext_sales_price)) over
    (partition by i_class)     as revenueratio
from catalog_sales
   , item
   , date_dim
where cs_item_sk = i_item_sk
  and i_category in ('Children', 'Sports', 'Music')
  and cs_sold_date_sk = d_date_sk
  and d_date between cast('2002-04-01' as date)
    and date_add('day', 30, cast('2002-04-01' as date))
group by i_item_id
       , i_item_desc
       , i_category
       , i_class
       , i_current_price
order by i_category
       , i_class
       , i_item_id
       , i_item_desc
       , revenueratio
limit 100`,
});
