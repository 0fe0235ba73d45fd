import { tpcdsQuery } from './tpcds-sql.ts';

/** TPC-DS Q67: Top store sales over the product hierarchy. */
export default tpcdsQuery({
  number: 67,
  title: 'Top store sales over the product hierarchy',
  question:
    'What are the top store sales per category, class, brand, product, year, quarter, month and store in a year, ranked in each category?',
  text: `--TPC-DS Q67
select *
from (select i_category
           , i_class
           , i_brand
           , i_product_name
           , d_year
           , d_qoy
           , d_moy
           , s_store_id
           , sumsales
           , rank() over (partition by i_category order by sumsales desc) rk
      from (select i_category
                 , i_class
                 , i_brand
                 , i_product_name
                 , d_year
                 , d_qoy
                 , d_moy
                 , s_store_id
                 , sum(coalesce(ss_sales_price * ss_quantity, 0)) sumsales
            from store_sales
               , date_dim
               , store
               , item
            where ss_sold_date_sk = d_date_sk
              and ss_item_sk = i_item_sk
              and ss_store_sk = s_store_sk
              and d_month_seq between 1194 and 1194 + 11
            group by rollup (i_category, i_class, i_brand, i_product_name, d_year, d_qoy, d_moy, s_store_id)) dw1) dw2
where rk <= 100
order by i_category
       , i_class
       , i_brand
       , i_product_name
       , d_year
       , d_qoy
       , d_moy
       , s_store_id
       , sumsales
       , rk
limit 100`,
});
