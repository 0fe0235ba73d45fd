import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q98: Store revenue of items and their share of the class. */
export default tpcdsQuery({
  number: 98,
  title: 'Store revenue of items and their share of the class',
  question:
    "What did each item of three categories earn in stores in 30 days, and what share of its class's revenue is that?",
  text: `--TPC-DS Q98
select i_item_id
     , i_item_desc
     , i_category
     , i_class
     , i_current_price
     , sum(ss_ext_sales_price) as itemrevenue
     , sum(ss_ext_sales_price) * 100 / sum(sum(ss_ext_sales_price)) over
    (partition by i_class)     as revenueratio
from store_sales
   , item
   , date_dim
where ss_item_sk = i_item_sk
  and i_category in ('Shoes', 'Music', 'Men')
  and ss_sold_date_sk = d_date_sk
  and d_date between cast('2000-01-05' as date)
    and date_add('day', 30, cast('2000-01-05' as date))
group by i_item_id
       , i_item_desc
       , i_category
       , i_class
       , i_current_price
order by i_category
       , i_class
       , i_item_id
       , i_item_desc
       , revenueratio`,
});
