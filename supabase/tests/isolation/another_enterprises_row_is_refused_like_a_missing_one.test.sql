begin;
select plan(3);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());

create function pg_temp.refusal(p_workflow_id bigint) returns text
language plpgsql as $$
declare
  v_message text;
  v_detail text;
  v_state text;
begin
  insert into notify.ent_notification (name, enterprise_id, payload, recipients, notification_workflow_id)
    values ('probe', tests.enterprise_a(), '{}', '{}', p_workflow_id);
  return 'accepted';
exception when others then
  get stacked diagnostics v_state = returned_sqlstate, v_message = message_text, v_detail = pg_exception_detail;
  -- The id itself is the caller's own input; everything else must match.
  return v_state || ' | ' || v_message || ' | ' || replace(v_detail, p_workflow_id::text, '<id>');
end
$$;

-- B's workflow id, read before acting as a member of A (who cannot see it).
select set_config('tests.b_workflow_id',
  (select id::text from notify.ent_notification_workflow where enterprise_id = tests.enterprise_b()), true);

select tests.authenticate_as(array[tests.enterprise_a()]);
select is(
  pg_temp.refusal(current_setting('tests.b_workflow_id')::bigint),
  pg_temp.refusal(999999999),
  'another enterprise''s workflow id is refused exactly like an id that does not exist');
select is(
  pg_temp.refusal(999999999),
  '23503 | insert or update on table "ent_notification" violates foreign key constraint "ent_notification_notification_workflow_id_fkey" | Key is not present in table "ent_notification_workflow".',
  'which is the foreign key''s own refusal');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select is(
  pg_temp.refusal(current_setting('tests.b_workflow_id')::bigint),
  pg_temp.refusal(999999999),
  'service_role, shown the key by the foreign key, is shown it alike');
select tests.clear_authentication();

select * from finish();
rollback;
