begin;
select plan(3);

select tests.create_enterprise_fixture(tests.enterprise_a());
create function notify_audience.broken(p_enterprise_id uuid, p_context jsonb) returns setof uuid
language plpgsql set search_path = '' as $$ begin raise exception 'resident directory unavailable'; end $$;
create function notify_audience.nobody(p_enterprise_id uuid, p_context jsonb) returns setof uuid
language sql set search_path = '' as $$ select null::uuid where false $$;
select tests.create_rule(tests.enterprise_a(), 'broken', 'CRON', '{"cron": "0 9 * * 1"}', '{"payload": {}, "recipients": {"audience": "broken"}}');
select tests.create_rule(tests.enterprise_a(), 'empty', 'CRON', '{"cron": "0 9 * * 1"}', '{"payload": {}, "recipients": {"audience": "nobody"}}');
select tests.create_rule(tests.enterprise_a(), 'fine', 'CRON', '{"cron": "0 9 * * 1"}');

select results_eq(
  $$select r.name, f.outcome, f.reason
      from notify_internal.record_rule_firings(jsonb_build_array(
        tests.firing((select id from notify.ent_notification_rule where name = 'broken'), '2030-01-07T09:00:00Z') || '{"audience": "broken"}',
        tests.firing((select id from notify.ent_notification_rule where name = 'empty'), '2030-01-07T09:00:00Z') || '{"audience": "nobody"}',
        tests.firing((select id from notify.ent_notification_rule where name = 'fine'), '2030-01-07T09:00:00Z'))) f
      join notify.ent_notification_rule r on r.id = f.notification_rule_id$$,
  $$values ('broken', 'failed', 'audience broken failed: resident directory unavailable'),
           ('empty', 'failed', 'audience nobody returned no recipients'),
           ('fine', 'created', null)$$,
  'a failing or empty audience is a failed firing saying why; the other rule still fires');
select results_eq(
  $$select r.name, f.outcome from notify.rule_firing f join notify.ent_notification_rule r on r.id = f.notification_rule_id where f.enterprise_id = tests.enterprise_a() order by r.name$$,
  $$values ('broken', 'failed'), ('empty', 'failed'), ('fine', 'created')$$,
  'every outcome is recorded');
select results_eq($$select count(*)::int from notify.ent_notification where enterprise_id = tests.enterprise_a() and notification_rule_id is not null$$,
  $$values (1)$$, 'only the working rule created a notification');

select * from finish();
rollback;
