begin;
select plan(3);

select cmp_ok((select count(*)::int from pg_catalog.pg_proc where pronamespace in ('notify'::regnamespace, 'notify_internal'::regnamespace) and prosecdef), '>', 0, 'there are security definer functions to check');
select is_empty($$select p.oid::regprocedure from pg_catalog.pg_proc p where p.pronamespace in ('notify'::regnamespace, 'notify_internal'::regnamespace) and p.prosecdef and not coalesce('search_path=""' = any (p.proconfig), false)$$, 'every security definer function sets search_path to empty');
select is_empty($$select p.oid::regprocedure from pg_catalog.pg_proc p where p.pronamespace in ('notify'::regnamespace, 'notify_internal'::regnamespace) and p.prosecdef and (p.proacl is null or exists (select 1 from pg_catalog.aclexplode(p.proacl) a where a.grantee = 0 and a.privilege_type = 'EXECUTE'))$$, 'no security definer function is executable by public');

select * from finish();
rollback;
