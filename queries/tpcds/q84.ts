import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q84: Customers of a city and income band with returns. */
export default tpcdsQuery({
  number: 84,
  title: 'Customers of a city and income band with returns',
  question: 'Which customers living in one city with a given income band returned items in stores?',
  text: `--TPC-DS Q84
select c_customer_id                                                   as customer_id
     , coalesce(c_last_name, '') || ', ' || coalesce(c_first_name, '') as customername
from customer
   , customer_address
   , customer_demographics
   , household_demographics
   , income_band
   , store_returns
where ca_city = 'White Oak'
  and c_current_addr_sk = ca_address_sk
  and ib_lower_bound >= 45626
  and ib_upper_bound <= 45626 + 50000
  and ib_income_band_sk = hd_income_band_sk
  and cd_demo_sk = c_current_cdemo_sk
  and hd_demo_sk = c_current_hdemo_sk
  and sr_cdemo_sk = cd_demo_sk
order by c_customer_id
limit 100`,
});
