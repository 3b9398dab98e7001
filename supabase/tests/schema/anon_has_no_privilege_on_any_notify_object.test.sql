begin;
select plan(5);

select ok(not has_schema_privilege('anon', 'notify', 'usage'), 'anon has no usage on schema notify');
select ok(not has_schema_privilege('anon', 'notify_internal', 'usage'), 'anon has no usage on schema notify_internal');
select is_empty($$select c.oid::regclass from pg_catalog.pg_class c where c.relnamespace in ('notify'::regnamespace, 'notify_internal'::regnamespace) and c.relkind in ('r', 'p', 'v', 'm') and has_table_privilege('anon', c.oid, 'select, insert, update, delete, truncate, references, trigger')$$, 'anon has no privilege on any notify table or view');
select is_empty($$select c.oid::regclass from pg_catalog.pg_class c where c.relnamespace in ('notify'::regnamespace, 'notify_internal'::regnamespace) and case when c.relkind = 'S' then has_sequence_privilege('anon', c.oid, 'usage, select, update') else false end$$, 'anon has no privilege on any notify sequence');
select is_empty($$select p.oid::regprocedure from pg_catalog.pg_proc p where p.pronamespace in ('notify'::regnamespace, 'notify_internal'::regnamespace) and has_function_privilege('anon', p.oid, 'execute')$$, 'anon can execute no notify function');

select * from finish();
rollback;
