begin;
select plan(2);

select cmp_ok((select count(*)::int from pg_catalog.pg_class where relnamespace = 'notify'::regnamespace and relkind in ('r', 'p')), '>=', 7, 'the notify schema has its seven tables');
select is_empty($$select relname from pg_catalog.pg_class where relnamespace = 'notify'::regnamespace and relkind in ('r', 'p') and not relrowsecurity$$, 'every notify table has RLS enabled');

select * from finish();
rollback;
