-- Demo data: two enterprises, lookups, nested templates, workflows, an
-- audience, DRAFT rules and DRAFT notifications. Nothing here is sendable, so seeding sends
-- nothing.
--
-- Enterprises (the platform owns the enterprise table; XNovu only stores ids):
--   11111111-1111-4111-8111-111111111111  Acme Towers
--   22222222-2222-4222-8222-222222222222  Globex Campus
--
-- Template keys are unique across enterprises, so each enterprise's keys carry
-- its prefix; shared templates (enterprise_id null) carry 'shared-'. Includes are
-- inserted after the templates they reference. The STATIC workflow is shared;
-- each enterprise has its own DYNAMIC workflow rendered from its own templates.

insert into notify.typ_notification_category (name, code, path, sort_order, enterprise_id, publish_status) values
  ('Building', 'building', 'building', 10, null, 'PUBLISH'),
  ('Maintenance', 'building-maintenance', 'building.maintenance', 20, null, 'PUBLISH'),
  ('Security', 'building-security', 'building.security', 30, null, 'PUBLISH'),
  ('Elevators', 'acme-elevators', 'building.maintenance.elevators', 40, '11111111-1111-4111-8111-111111111111', 'PUBLISH'),
  ('Access control', 'globex-access-control', 'building.security.access_control', 40, '22222222-2222-4222-8222-222222222222', 'PUBLISH');

insert into notify.typ_notification_priority (name, code, sort_order, enterprise_id, publish_status) values
  ('Low', 'low', 10, null, 'PUBLISH'),
  ('Normal', 'normal', 20, null, 'PUBLISH'),
  ('High', 'high', 30, null, 'PUBLISH'),
  ('Critical', 'critical', 40, null, 'PUBLISH');

-- Shared templates first: every enterprise's templates may include them.
insert into notify.ent_notification_template
  (name, template_key, channel_type, subject_template, body_template, variables_description, enterprise_id, publish_status)
values
  ('Shared email footer', 'shared-email-footer', 'EMAIL', null,
   '<footer><p>{{company}} · building services</p><p>You receive this because you are a resident or tenant.</p></footer>',
   '{"company": {"description": "Name shown in the footer", "default": "Your building"}}', null, 'PUBLISH'),
  ('Shared SMS signature', 'shared-sms-signature', 'SMS', null,
   '- {{company}}',
   '{"company": {"description": "Sender name", "default": "Building services"}}', null, 'PUBLISH');

-- Acme Towers: the email nests two deep (email -> signature -> shared footer).
insert into notify.ent_notification_template
  (name, template_key, channel_type, subject_template, body_template, variables_description, enterprise_id, notification_category_id, publish_status)
values
  ('Acme email signature', 'acme-email-signature', 'EMAIL', null,
   '<p>Facilities team, {{building}}</p>{{ xnovu_render(''shared-email-footer'', { company: ''Acme Towers'' }) }}',
   '{"building": {"description": "Building name"}}',
   '11111111-1111-4111-8111-111111111111', null, 'PUBLISH');

insert into notify.ent_notification_template
  (name, template_key, channel_type, subject_template, body_template, variables_description, enterprise_id, notification_category_id, publish_status)
select t.name, t.template_key, t.channel_type::shared_types.notification_channel_type, t.subject_template, t.body_template,
  t.variables_description::jsonb, '11111111-1111-4111-8111-111111111111', c.id, 'PUBLISH'
from (values
  ('Acme maintenance email', 'acme-maintenance-email', 'EMAIL', 'Maintenance: {{title}} on {{date}}',
   '<p>Hello {{recipientName}},</p><p>{{title}} is planned on {{date}} in {{buildingName}}.</p>{{#details}}<p>{{details}}</p>{{/details}}{{ xnovu_render(''acme-email-signature'', { building: buildingName }) }}',
   '{"title": {"description": "What is being maintained"}, "date": {"description": "When"}, "buildingName": {"description": "Building"}, "recipientName": {"description": "Greeting name", "default": "resident"}}'),
  ('Acme maintenance in-app', 'acme-maintenance-in-app', 'IN_APP', null,
   '<strong>{{title}}</strong> on {{date}} in {{buildingName}}', '{}'),
  ('Acme maintenance SMS', 'acme-maintenance-sms', 'SMS', null,
   'Maintenance: {{title}} on {{date}} in {{buildingName}} {{ xnovu_render(''shared-sms-signature'', { company: ''Acme Towers'' }) }}', '{}'),
  ('Acme maintenance push', 'acme-maintenance-push', 'PUSH', 'Maintenance on {{date}}',
   '{{title}} in {{buildingName}}', '{}'),
  ('Acme maintenance chat', 'acme-maintenance-chat', 'CHAT', null,
   'Maintenance scheduled: *{{title}}* on {{date}} ({{buildingName}})', '{}')
) as t (name, template_key, channel_type, subject_template, body_template, variables_description)
cross join notify.typ_notification_category c
where c.code = 'acme-elevators';

-- Globex Campus: its own templates, reusing the shared footer.
insert into notify.ent_notification_template
  (name, template_key, channel_type, subject_template, body_template, variables_description, enterprise_id, notification_category_id, publish_status)
select t.name, t.template_key, t.channel_type::shared_types.notification_channel_type, t.subject_template, t.body_template,
  t.variables_description::jsonb, '22222222-2222-4222-8222-222222222222', c.id, 'PUBLISH'
from (values
  ('Globex security alert email', 'globex-security-email', 'EMAIL', 'Security alert: {{doorName}}',
   '<p>{{doorName}} reported {{event}} at {{occurredAt}}.</p>{{ xnovu_render(''shared-email-footer'', { company: ''Globex Campus'' }) }}',
   '{"doorName": {"description": "Door"}, "event": {"description": "What happened"}, "occurredAt": {"description": "When"}}'),
  ('Globex security alert in-app', 'globex-security-in-app', 'IN_APP', null,
   '<strong>{{doorName}}</strong>: {{event}}', '{}'),
  ('Globex security alert SMS', 'globex-security-sms', 'SMS', null,
   'ALERT {{doorName}}: {{event}} {{ xnovu_render(''shared-sms-signature'', { company: ''Globex Campus'' }) }}', '{}')
) as t (name, template_key, channel_type, subject_template, body_template, variables_description)
cross join notify.typ_notification_category c
where c.code = 'globex-access-control';

insert into notify.ent_notification_workflow
  (name, workflow_key, workflow_type, default_channels, payload_schema, template_overrides, enterprise_id, notification_category_id, publish_status)
values
  ('Default email', 'default-email', 'STATIC', '{EMAIL}',
   '{"type": "object", "required": ["subject", "body"], "properties": {"subject": {"type": "string"}, "body": {"type": "string"}}}',
   null, null, (select id from notify.typ_notification_category where code = 'building'), 'PUBLISH'),
  ('Building maintenance', 'building-maintenance', 'DYNAMIC', '{EMAIL,IN_APP,SMS}',
   '{"type": "object", "required": ["title", "date", "buildingName"], "properties": {"title": {"type": "string"}, "date": {"type": "string"}, "buildingName": {"type": "string"}, "recipientName": {"type": "string"}, "details": {"type": "string"}}}',
   '{"EMAIL": "acme-maintenance-email", "IN_APP": "acme-maintenance-in-app", "SMS": "acme-maintenance-sms"}',
   '11111111-1111-4111-8111-111111111111', (select id from notify.typ_notification_category where code = 'acme-elevators'), 'PUBLISH'),
  ('Security alert', 'security-alert', 'DYNAMIC', '{EMAIL,IN_APP,SMS}',
   '{"type": "object", "required": ["doorName", "event", "occurredAt"], "properties": {"doorName": {"type": "string"}, "event": {"type": "string"}, "occurredAt": {"type": "string"}}}',
   '{"EMAIL": "globex-security-email", "IN_APP": "globex-security-in-app", "SMS": "globex-security-sms"}',
   '22222222-2222-4222-8222-222222222222', (select id from notify.typ_notification_category where code = 'globex-access-control'), 'PUBLISH');

-- An audience (README "Rules"): operators register set-returning functions in
-- schema notify_audience; a rule names one as its recipients and the engine
-- calls it with the rule's enterprise and the firing context. The platform
-- would read its own resident and staff tables here; the demo lists fixed ids.
create function notify_audience.security_team(p_enterprise_id uuid, p_context jsonb)
returns setof uuid
language sql
stable
security invoker
set search_path = ''
as $$
  select member.id
  from (values
    ('22222222-2222-4222-8222-222222222222'::uuid, 'bbbbbbbb-0000-4000-8000-000000000001'::uuid),
    ('22222222-2222-4222-8222-222222222222'::uuid, 'bbbbbbbb-0000-4000-8000-000000000002'::uuid),
    ('11111111-1111-4111-8111-111111111111'::uuid, 'aaaaaaaa-0000-4000-8000-000000000001'::uuid)
  ) as member (enterprise_id, id)
  where member.enterprise_id = p_enterprise_id
$$;
comment on function notify_audience.security_team(uuid, jsonb) is 'Demo audience: the security staff of the enterprise (fixed ids in the seed).';

-- Rules: a weekly CRON reminder in Berlin time and an EVENT rule on forced
-- doors; drafts here, published by the demo (local/demo.sql).
insert into notify.ent_notification_rule
  (name, notification_workflow_id, trigger_type, trigger_config, rule_payload, enterprise_id, publish_status, deactivated)
values
  ('Weekly elevator inspection reminder',
   (select id from notify.ent_notification_workflow where workflow_key = 'building-maintenance'),
   'CRON', '{"cron": "0 9 * * 1", "timezone": "Europe/Berlin"}',
   '{"payload": {"title": "Elevator inspection", "date": "{{fire_at_local}}", "buildingName": "Acme Tower A"},
     "recipients": ["aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002"],
     "channels": ["EMAIL", "IN_APP"], "priority": "normal", "tags": ["rule", "maintenance"]}',
   '11111111-1111-4111-8111-111111111111', 'DRAFT', false),
  ('Door forced open',
   (select id from notify.ent_notification_workflow where workflow_key = 'security-alert'),
   'EVENT', '{"event": "door.forced_open", "conditions": {"!=": [{"var": "event.payload.expected"}, true]}}',
   '{"payload": {"doorName": "{{event.payload.doorName}}", "event": "forced open", "occurredAt": "{{event.emitted_at}}"},
     "recipients": {"audience": "security_team"}, "priority": "critical", "tags": ["rule", "security"]}',
   '22222222-2222-4222-8222-222222222222', 'DRAFT', false);

insert into notify.ent_notification
  (name, notification_workflow_id, notification_priority_id, payload, recipients, channels, enterprise_id, publish_status)
values
  ('Elevator B maintenance',
   (select id from notify.ent_notification_workflow where workflow_key = 'building-maintenance'),
   (select id from notify.typ_notification_priority where code = 'normal'),
   '{"title": "Elevator B maintenance", "date": "2026-12-01", "buildingName": "Acme Tower A", "recipientName": "Ada"}',
   '{aaaaaaaa-0000-4000-8000-000000000001}', '{EMAIL,IN_APP}', '11111111-1111-4111-8111-111111111111', 'DRAFT'),
  ('Welcome to Acme Towers',
   (select id from notify.ent_notification_workflow where workflow_key = 'default-email'),
   (select id from notify.typ_notification_priority where code = 'low'),
   '{"subject": "Welcome", "body": "Welcome to Acme Towers."}',
   '{aaaaaaaa-0000-4000-8000-000000000002}', '{EMAIL}', '11111111-1111-4111-8111-111111111111', 'DRAFT'),
  ('North gate forced open',
   (select id from notify.ent_notification_workflow where workflow_key = 'security-alert'),
   (select id from notify.typ_notification_priority where code = 'critical'),
   '{"doorName": "North gate", "event": "forced open", "occurredAt": "2026-11-20T22:14:00Z"}',
   '{bbbbbbbb-0000-4000-8000-000000000001,bbbbbbbb-0000-4000-8000-000000000002}', '{EMAIL,IN_APP,SMS}',
   '22222222-2222-4222-8222-222222222222', 'DRAFT');
