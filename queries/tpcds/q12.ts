import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q12: Web revenue of items and their share of the class. */
export default tpcdsQuery({
  number: 12,
  title: 'Web revenue of items and their share of the class',
  question:
    "What did each item of three categories earn on the web in 30 days, and what share of its class's revenue is that?",
  text: `--TPC-DS Q12
select i_item_id
     , i_item_desc
     , i_category
     , i_class
     , i_current_price
     , sum(ws_ext_sales_price) as itemrevenue
     , sum(ws_ext_sales_price) * 100 / sum(sum(ws_ext_sales_price)) over
    (partition by i_class)     as revenueratio
from web_sales
   , item
   , date_dim
where ws_item_sk = i_item_sk
  and i_category in ('Jewelry', 'Books', 'Women')
  and ws_sold_date_sk = d_date_sk
  and d_date between cast('2002-03-22' as date)
    and date_add('day', 30, cast('2002-03-22' as date))
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
