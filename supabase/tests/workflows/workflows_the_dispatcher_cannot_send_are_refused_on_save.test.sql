begin;
select plan(15);

insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
values ('a email', 'tap-wf-a-email', 'EMAIL', 'A', tests.enterprise_a(), 'PUBLISH'),
       ('a sms', 'tap-wf-a-sms', 'SMS', 'A', tests.enterprise_a(), 'PUBLISH'),
       ('a draft email', 'tap-wf-a-draft-email', 'EMAIL', 'A', tests.enterprise_a(), 'DRAFT'),
       ('b email', 'tap-wf-b-email', 'EMAIL', 'B', tests.enterprise_b(), 'PUBLISH'),
       ('shared email', 'tap-wf-shared-email', 'EMAIL', 'S', null, 'PUBLISH');

create function pg_temp.save(p_key text, p_overrides text, p_enterprise uuid default tests.enterprise_a(),
  p_publish_status text default 'PUBLISH', p_payload_schema text default null) returns text
language sql as $$
  select format(
    $f$insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, template_overrides, payload_schema, enterprise_id, publish_status)
       values (%L, %L, 'DYNAMIC', '{EMAIL,SMS}', %L::jsonb, %L::jsonb, %L::uuid, %L)$f$,
    p_key, p_key, p_overrides, p_payload_schema, p_enterprise, p_publish_status)
$$;

select throws_ok(pg_temp.save('tap-wf-missing', '{"EMAIL": "tap-wf-nowhere"}'), '23503',
  format('workflow "tap-wf-missing": template_overrides EMAIL names "tap-wf-nowhere", which does not resolve to a published, active template of enterprise %s or a shared one', tests.enterprise_a()),
  'a template that does not exist is refused');
select throws_ok(pg_temp.save('tap-wf-missing-id', '{"emailTemplateId": 999999999}'), '23503',
  format('workflow "tap-wf-missing-id": template_overrides emailTemplateId names "999999999", which does not resolve to a published, active template of enterprise %s or a shared one', tests.enterprise_a()),
  'a template id that does not exist is refused');
select throws_ok(pg_temp.save('tap-wf-other', '{"EMAIL": "tap-wf-b-email"}'), '23503',
  format('workflow "tap-wf-other": template_overrides EMAIL names "tap-wf-b-email", which does not resolve to a published, active template of enterprise %s or a shared one', tests.enterprise_a()),
  'another enterprise''s template is refused');
select throws_ok(pg_temp.save('tap-wf-other-id', format('{"EMAIL": %s}', (select id from notify.ent_notification_template where template_key = 'tap-wf-b-email'))), '23503', null,
  'another enterprise''s template is refused by id too');
select throws_ok(pg_temp.save('tap-wf-shared-only', '{"EMAIL": "tap-wf-a-email"}', null), '23503',
  'workflow "tap-wf-shared-only": template_overrides EMAIL names "tap-wf-a-email", which does not resolve to a published, active template of the shared templates',
  'a shared workflow may only name shared templates');
select throws_ok(pg_temp.save('tap-wf-channel', '{"EMAIL": "tap-wf-a-sms"}'), '23514',
  'workflow "tap-wf-channel": template_overrides EMAIL names "tap-wf-a-sms", a SMS template, not a EMAIL one',
  'a template of another channel is refused');
select throws_ok(pg_temp.save('tap-wf-draft-template', '{"EMAIL": "tap-wf-a-draft-email"}'), '23503',
  format('workflow "tap-wf-draft-template": template_overrides EMAIL names "tap-wf-a-draft-email", which does not resolve to a published, active template of enterprise %s or a shared one', tests.enterprise_a()),
  'a published workflow may not name a draft template');
select throws_ok(pg_temp.save('tap-wf-key', '{"email": "tap-wf-a-email"}'), '23514',
  'workflow "tap-wf-key": template_overrides key "email" names no channel',
  'a key that is not a channel is refused, with the accepted shapes as hint');
select throws_ok(pg_temp.save('tap-wf-twice', format('{"EMAIL": "tap-wf-a-email", "emailTemplateId": %s}', (select id from notify.ent_notification_template where template_key = 'tap-wf-a-email'))), '23514',
  'workflow "tap-wf-twice": template_overrides gives channel EMAIL twice (EMAIL and emailTemplateId)',
  'a channel given twice is refused');
select throws_ok(pg_temp.save('tap-wf-value', '{"EMAIL": {"key": "tap-wf-a-email"}}'), '23514',
  'workflow "tap-wf-value": template_overrides EMAIL must be a template key or a positive integer id, not {"key": "tap-wf-a-email"}',
  'a value that is no template reference is refused');
select throws_ok(pg_temp.save('tap-wf-array', '["tap-wf-a-email"]'), '23514',
  'workflow "tap-wf-array": template_overrides must be a JSON object, not a JSON array',
  'template_overrides that is not an object is refused');
select throws_ok(pg_temp.save('tap-wf-schema-type', null, p_payload_schema => '{"type": "string"}'), '23514',
  'workflow "tap-wf-schema-type": payload_schema "type" must be "object" (a payload is a JSON object), not "string"',
  'a payload_schema for something other than an object is refused');
select throws_ok(pg_temp.save('tap-wf-schema-required', null, p_payload_schema => '{"type": "object", "required": "title"}'), '23514',
  'workflow "tap-wf-schema-required": payload_schema.required must be an array of distinct property names, not "title"',
  'a payload_schema whose required is not a list of names is refused');
select lives_ok(pg_temp.save('tap-wf-good', format('{"EMAIL": "tap-wf-a-email", "smsTemplateId": %s}', (select id from notify.ent_notification_template where template_key = 'tap-wf-a-sms')),
  p_payload_schema => '{"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}'),
  'its own and shared published templates of the right channels, in either shape, with a payload schema, save');
select lives_ok(pg_temp.save('tap-wf-draft', '{"EMAIL": "tap-wf-a-draft-email"}', p_publish_status => 'DRAFT'),
  'a draft workflow may name a draft template (publishing it checks again)');

select * from finish();
rollback;
