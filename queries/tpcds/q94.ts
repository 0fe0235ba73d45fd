import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q94: Web orders from several warehouses, not returned. */
export default tpcdsQuery({
  number: 94,
  title: 'Web orders from several warehouses, not returned',
  question:
    "How many web orders from one company's sites, shipped in 60 days to one state, came from more than one warehouse and were never returned?",
  text: `--TPC-DS Q94
select count(distinct ws_order_number) as "order count"
     , sum(ws_ext_ship_cost)           as "total shipping cost"
     , sum(ws_net_profit)              as "total net profit"
from web_sales ws1
   , date_dim
   , customer_address
   , web_site
where d_date between date('1999-4-01') and
    date_add('day', 60, cast('1999-4-01' as date))
  and ws1.ws_ship_date_sk = d_date_sk
  and ws1.ws_ship_addr_sk = ca_address_sk
  and ca_state = 'WI'
  and ws1.ws_web_site_sk = web_site_sk
  and web_company_name = 'pri'
  and exists (select *
              from web_sales ws2
              where ws1.ws_order_number = ws2.ws_order_number
                and ws1.ws_warehouse_sk <> ws2.ws_warehouse_sk)
  and not exists(select *
                 from web_returns wr1
                 where ws1.ws_order_number = wr1.wr_order_number)
order by count(distinct ws_order_number)
limit 100`,
});
