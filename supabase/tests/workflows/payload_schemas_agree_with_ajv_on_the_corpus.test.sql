-- The save trigger decides on payload_schema (notify_internal.json_schema_problem)
-- as the dispatcher's ajv does at send, on the same corpus
-- (shared/workflows/payload_schema_cases_test.ts proves the corpus against ajv):
-- a valid case saves, an invalid one is refused (23514). local/run-pgtap.sh
-- runs pg_prove from the repository root, where psql reads the corpus.
\set corpus `cat shared/workflows/payload_schema_cases.json`
begin;
select plan((select jsonb_array_length(:'corpus'::jsonb -> 'cases')));

create function pg_temp.saves(p_name text, p_schema jsonb) returns boolean
language plpgsql
as $$
begin
  insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, payload_schema, enterprise_id, publish_status)
  values (p_name, 'tap-corpus-' || md5(p_name), 'DYNAMIC', '{EMAIL}', p_schema, tests.enterprise_a(), 'DRAFT');
  return true;
exception when check_violation then
  return false;
end
$$;

select is(pg_temp.saves(c ->> 'name', c -> 'schema'), (c ->> 'valid')::boolean, 'schema corpus: ' || (c ->> 'name'))
  from jsonb_array_elements(:'corpus'::jsonb -> 'cases') as c;

select * from finish();
rollback;
