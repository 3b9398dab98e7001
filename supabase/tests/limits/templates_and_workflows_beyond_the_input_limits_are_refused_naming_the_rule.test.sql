begin;
select plan(6);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.authenticate_as(array[tests.enterprise_a()]);

select throws_like(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id)
    values ('huge', 'huge-template', 'EMAIL', repeat('x', 100001), tests.enterprise_a())$$,
  '%ent_notification_template_body_at_most_100000_characters%', 'a template body over 100,000 characters is refused at save (finding 2)');
select lives_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id)
    values ('large', 'large-template', 'EMAIL', repeat('x', 100000), tests.enterprise_a())$$,
  'a template body of 100,000 characters is stored');
select throws_like(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, subject_template, body_template, enterprise_id)
    values ('long subject', 'long-subject', 'EMAIL', repeat('s', 1001), 'body', tests.enterprise_a())$$,
  '%ent_notification_template_subject_at_most_1000_characters%', 'a subject over 1,000 characters is refused');
select throws_like(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id)
    values ('long key', repeat('k', 256), 'EMAIL', 'body', tests.enterprise_a())$$,
  '%ent_notification_template_key_at_most_255_characters%', 'a template key over 255 characters is refused');
select throws_like(
  $$insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, enterprise_id, payload_schema)
    values ('array schema', 'array-schema', 'DYNAMIC', tests.enterprise_a(), '[]')$$,
  '%ent_notification_workflow_payload_schema_is_a_json_object%', 'a payload_schema that is not an object is refused');
select throws_like(
  $$insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, enterprise_id, payload_schema)
    values ('huge schema', 'huge-schema', 'DYNAMIC', tests.enterprise_a(), jsonb_build_object('description', repeat('x', 65536)))$$,
  '%ent_notification_workflow_payload_schema_at_most_64_kib%', 'a payload_schema over 64 KiB is refused');

select * from finish();
rollback;
