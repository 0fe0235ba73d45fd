import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q26: Average catalog purchase of a demographic group. */
export default tpcdsQuery({
  number: 26,
  title: 'Average catalog purchase of a demographic group',
  question:
    'For one gender, marital status and education, what were the average quantity, list price, coupon and sales price of each catalog item in one year?',
  text: `--TPC-DS Q26
select i_item_id,
       avg(cs_quantity)    agg1,
       avg(cs_list_price)  agg2,
       avg(cs_coupon_amt)  agg3,
       avg(cs_sales_price) agg4
from catalog_sales,
     customer_demographics,
     date_dim,
     item,
     promotion
where cs_sold_date_sk = d_date_sk
  and cs_item_sk = i_item_sk
  and cs_bill_cdemo_sk = cd_demo_sk
  and cs_promo_sk = p_promo_sk
  and cd_gender = 'F'
  and cd_marital_status = 'M'
  and cd_education_status = '4 yr Degree'
  and (p_channel_email = 'N' or p_channel_event = 'N')
  and d_year = 2000
group by i_item_id
order by i_item_id
limit 100`,
});
