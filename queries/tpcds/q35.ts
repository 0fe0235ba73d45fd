import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q35: Demographics of customers buying in several channels. */
export default tpcdsQuery({
  number: 35,
  title: 'Demographics of customers buying in several channels',
  question:
    'For customers who bought in a store and also on the web or from a catalog in three quarters, how many are there per demographic profile, and how many dependants?',
  text: `--TPC-DS Q35
select ca_state,
       cd_gender,
       cd_marital_status,
       cd_dep_count,
       count(*)                           cnt1,
       max(cd_dep_count)                  AGGONE_1,
       stddev_samp(cd_dep_count)          AGGTWO_1,
       stddev_samp(cd_dep_count)          AGGTHREE_1,
       cd_dep_employed_count,
       count(*)                           cnt2,
       max(cd_dep_employed_count)         AGGONE_2,
       stddev_samp(cd_dep_employed_count) AGGTWO_2,
       stddev_samp(cd_dep_employed_count) AGGTHREE_2,
       cd_dep_college_count,
       count(*)                           cnt3,
       max(cd_dep_college_count)          AGGONE_3,
       stddev_samp(cd_dep_college_count)  AGGTWO_3,
       stddev_samp(cd_dep_college_count)  AGGTHREE_3
from customer c,
     customer_address ca,
     customer_demographics
where c.c_current_addr_sk = ca.ca_address_sk
  and cd_demo_sk = c.c_current_cdemo_sk
  and exists (select *
              from store_sales,
                   date_dim
              where c.c_customer_sk = ss_customer_sk
                and ss_sold_date_sk = d_date_sk
                and d_year = 2000
                and d_qoy < 4)
  and (exists (select *
               from web_sales,
                    date_dim
               where c.c_customer_sk = ws_bill_customer_sk
                 and ws_sold_date_sk = d_date_sk
                 and d_year = 2000
                 and d_qoy < 4) or
       exists (select *
               from catalog_sales,
                    date_dim
               where c.c_customer_sk = cs_ship_customer_sk
                 and cs_sold_date_sk = d_date_sk
                 and d_year = 2000
                 and d_qoy < 4))
group by ca_state,
         cd_gender,
         cd_marital_status,
         cd_dep_count,
         cd_dep_employed_count,
         cd_dep_college_count
order by ca_state,
         cd_gender,
         cd_marital_status,
         cd_dep_count,
         cd_dep_employed_count,
         cd_dep_college_count
limit 100`,
});
