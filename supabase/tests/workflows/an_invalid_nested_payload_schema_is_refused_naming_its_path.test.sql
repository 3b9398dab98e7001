begin;
select plan(2);

select throws_ok(
  $$insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, payload_schema, enterprise_id, publish_status)
    values ('nested', 'tap-schema-nested', 'DYNAMIC', '{EMAIL}',
      '{"type": "object", "properties": {"device": {"type": "object", "properties": {"code": {"type": "string", "minLength": -1}}}}}',
      tests.enterprise_a(), 'PUBLISH')$$,
  '23514',
  'workflow "tap-schema-nested": payload_schema.properties.device.properties.code.minLength must be a non-negative integer, not -1',
  'a negative minLength two levels down is refused, naming its path'
);

insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, payload_schema, enterprise_id, publish_status)
values ('editable', 'tap-schema-edited', 'DYNAMIC', '{EMAIL}', '{"type": "object"}', tests.enterprise_a(), 'PUBLISH');
select throws_ok(
  $$update notify.ent_notification_workflow
       set payload_schema = '{"type": "object", "anyOf": [{"required": ["a"]}, {"type": "strng"}]}'
     where workflow_key = 'tap-schema-edited'$$,
  '23514',
  'workflow "tap-schema-edited": payload_schema.anyOf[1].type must be one of array, boolean, integer, null, number, object, string, or a non-empty list of distinct ones, not "strng"',
  'an edit that breaks a saved schema is refused too'
);

select * from finish();
rollback;
