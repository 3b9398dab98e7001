begin;
select plan(2);

select tests.create_enterprise_fixture(tests.enterprise_a());
create function notify_audience.by_enterprise(p_enterprise_id uuid, p_context jsonb) returns setof uuid
language sql set search_path = '' as $$
  select case when p_enterprise_id = 'a0000000-0000-4000-8000-00000000000a'
    then 'aaaaaaaa-0000-4000-8000-00000000000a'::uuid else 'bbbbbbbb-0000-4000-8000-00000000000b'::uuid end
  where p_context ->> 'fire_at' is not null
$$;
select tests.create_rule(tests.enterprise_a(), 'by enterprise', 'CRON', '{"cron": "0 9 * * 1"}',
  '{"payload": {}, "recipients": {"audience": "by_enterprise"}}');

select results_eq(
  $$select outcome from notify_internal.record_rule_firings(jsonb_build_array(
      tests.firing((select id from notify.ent_notification_rule where name = 'by enterprise'), '2030-01-07T09:00:00Z')
      || '{"audience": "by_enterprise", "context": {"fire_at": "2030-01-07T09:00:00Z"}}'))$$,
  $$values ('created')$$, 'the audience resolves');
select results_eq($$select recipients from notify.ent_notification where enterprise_id = tests.enterprise_a() and notification_rule_id is not null$$,
  $$values ('{aaaaaaaa-0000-4000-8000-00000000000a}'::uuid[])$$,
  'it was called with the rule''s enterprise and the firing context');

select * from finish();
rollback;
