import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q21: Inventory before and after a price change. */
export default tpcdsQuery({
  number: 21,
  title: 'Inventory before and after a price change',
  question:
    'Which warehouses and items held between two thirds and one and a half times as much inventory in the 30 days after a date as in the 30 days before?',
  text: `--TPC-DS Q21
select *
from (select w_warehouse_name
           , i_item_id
           , sum(case
                     when (cast(d_date as date) < cast('2000-05-19' as date))
                         then inv_quantity_on_hand
                     else 0 end) as inv_before
           , sum(case
                     when (cast(d_date as date) >= cast('2000-05-19' as date))
                         then inv_quantity_on_hand
                     else 0 end) as inv_after
      from inventory
         , warehouse
         , item
         , date_dim
      where i_current_price between 0.99 and 1.49
        and i_item_sk = inv_item_sk
        and inv_warehouse_sk = w_warehouse_sk
        and inv_date_sk = d_date_sk
        and d_date between date_add('day', -30, cast('2000-05-19' as date))
          and date_add('day', 30, cast('2000-05-19' as date))
      group by w_warehouse_name, i_item_id) x
where (case
           when inv_before > 0
               then inv_after / inv_before
           else null
    end) between 2.0 / 3.0 and 3.0 / 2.0
order by w_warehouse_name
       , i_item_id
limit 100`,
});
