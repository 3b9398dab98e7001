begin;
select plan(5);

insert into notify.ent_notification_template (name, template_key, channel_type, subject_template, body_template, enterprise_id, publish_status)
values ('seed email', 'tap-seed-email', 'EMAIL', 'Subject', 'Body', tests.enterprise_a(), 'PUBLISH'),
       ('seed in-app', 'tap-seed-in-app', 'IN_APP', null, 'Body', tests.enterprise_a(), 'PUBLISH');

select lives_ok(
  $$insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, template_overrides, enterprise_id, publish_status)
    values ('seed shape', 'tap-seed-shape', 'DYNAMIC', '{EMAIL,IN_APP}',
            jsonb_build_object('emailTemplateId', (select id from notify.ent_notification_template where template_key = 'tap-seed-email'),
                               'inAppTemplateId', (select id from notify.ent_notification_template where template_key = 'tap-seed-in-app')),
            tests.enterprise_a(), 'PUBLISH')$$,
  'a workflow with seed 03''s {"emailTemplateId": <id>, "inAppTemplateId": <id>} saves'
);
select is(
  (select notify_internal.template_overrides_by_channel(template_overrides) from notify.ent_notification_workflow where workflow_key = 'tap-seed-shape'),
  jsonb_build_object('EMAIL', (select id from notify.ent_notification_template where template_key = 'tap-seed-email'),
                     'IN_APP', (select id from notify.ent_notification_template where template_key = 'tap-seed-in-app')),
  'and is read by channel, as the dispatcher and the bridge read it'
);
select is(
  (select template_overrides ? 'emailTemplateId' from notify.ent_notification_workflow where workflow_key = 'tap-seed-shape'),
  true,
  'the row keeps what the platform wrote'
);
select is(notify_internal.template_overrides_by_channel('{"EMAIL": "tap-seed-email", "SMS": 7}'), '{"EMAIL": "tap-seed-email", "SMS": 7}'::jsonb, 'today''s shape reads unchanged');
select is(notify_internal.template_overrides_by_channel('{"chatTemplateId": 9, "pushTemplateId": "8", "smsTemplateId": 6}'), '{"CHAT": 9, "PUSH": "8", "SMS": 6}'::jsonb, 'every seed key maps to its channel');

select * from finish();
rollback;
