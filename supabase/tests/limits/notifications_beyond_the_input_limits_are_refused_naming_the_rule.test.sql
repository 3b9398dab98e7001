begin;
select plan(12);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.authenticate_as(array[tests.enterprise_a()]);

select throws_ok(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients)
    values (repeat('n', 256), tests.enterprise_a(), '{}', '{}')$$,
  '23514', null, 'a 256-character name is refused');
select throws_like(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients)
    values (repeat('n', 1048576), tests.enterprise_a(), '{}', '{}')$$,
  '%ent_notification_name_at_most_255_characters%', 'a 1 MB name is refused by the rule that names the field');
select lives_ok(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients)
    values (repeat('n', 255), tests.enterprise_a(), '{}', '{}')$$,
  'a 255-character name is stored');

select throws_like(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients)
    values ('string payload', tests.enterprise_a(), '"x"', '{}')$$,
  '%ent_notification_payload_is_a_json_object%', 'a payload that is not an object is refused');
select throws_like(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients)
    values ('huge payload', tests.enterprise_a(), jsonb_build_object('text', repeat('x', 262144)), '{}')$$,
  '%ent_notification_payload_at_most_256_kib%', 'a payload over 256 KiB is refused');
select throws_like(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients)
    values ('deep payload', tests.enterprise_a(), (repeat('{"a":', 33) || '1' || repeat('}', 33))::jsonb, '{}')$$,
  '%ent_notification_payload_nested_at_most_32_levels%', 'a payload nested 33 levels deep is refused');
select lives_ok(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients)
    values ('deep enough payload', tests.enterprise_a(), (repeat('{"a":', 32) || '1' || repeat('}', 32))::jsonb, '{}')$$,
  'a payload nested 32 levels deep is stored');

select throws_like(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients, overrides)
    values ('string overrides', tests.enterprise_a(), '{}', '{}', '"x"')$$,
  '%ent_notification_overrides_is_a_json_object%', 'overrides that are not an object are refused (finding 5)');
select throws_like(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients, overrides)
    values ('huge overrides', tests.enterprise_a(), '{}', '{}', jsonb_build_object('x', repeat('x', 65536)))$$,
  '%ent_notification_overrides_at_most_64_kib%', 'overrides over 64 KiB are refused');
select throws_like(
  $$insert into notify.ent_notification (name, enterprise_id, payload, recipients)
    values ('crowd', tests.enterprise_a(), '{}',
      (select array_agg(gen_random_uuid()) from generate_series(1, 10001)))$$,
  '%ent_notification_recipients_at_most_10000%', 'more than 10,000 recipients are refused');
select throws_like(
  $$update notify.ent_notification set overrides = '[]' where name = 'deep enough payload'$$,
  '%ent_notification_overrides_is_a_json_object%', 'an update is checked like an insert');

select tests.clear_authentication();
select is(
  (select count(*) from notify.ent_notification where name in ('string payload', 'huge payload', 'deep payload', 'string overrides', 'huge overrides', 'crowd')),
  0::bigint, 'nothing refused was stored');

select * from finish();
rollback;
