begin;
select plan(8);

select tests.create_enterprise_fixture(tests.enterprise_a());

select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'EVENT', '{"event": "e"}', '{"payload": {}, "recipients": [], "script": "alert(1)"}')$$,
  '23514', 'rule "r": rule_payload.script: unknown key (expected payload, recipients, channels, overrides, priority, tags)',
  'an unknown key (code) is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'EVENT', '{"event": "e"}', '{"recipients": ["d0000000-0000-4000-8000-00000000000d"]}')$$,
  '23514', 'rule "r": rule_payload.payload: required, the notification payload object', 'a payload is required');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'EVENT', '{"event": "e"}', '{"payload": {}, "recipients": ["bob"]}')$$,
  '23514', 'rule "r": rule_payload.recipients: "bob" is not a uuid', 'a recipient that is not a uuid is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'EVENT', '{"event": "e"}', '{"payload": {}, "recipients": {"audience": "nobody"}}')$$,
  '23514', 'rule "r": rule_payload.recipients.audience: no audience function notify_audience.nobody(uuid, jsonb)',
  'an audience that is not registered is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'CRON', '{"cron": "0 9 * * *"}', '{"payload": {}, "recipients": {"event_path": "payload.ids"}}')$$,
  '23514', 'rule "r": rule_payload.recipients.event_path: only for EVENT rules, a path such as "payload.residentIds"',
  'recipients from an event are refused for a rule without events');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'EVENT', '{"event": "e"}', '{"payload": {}, "recipients": ["d0000000-0000-4000-8000-00000000000d"], "channels": ["FAX"]}')$$,
  '23514', 'rule "r": rule_payload.channels: a non-empty list of IN_APP, EMAIL, SMS, CHAT, PUSH', 'an unknown channel is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'EVENT', '{"event": "e"}', '{"payload": {}, "recipients": ["d0000000-0000-4000-8000-00000000000d"], "priority": "fixture-priority-b0000000"}')$$,
  '23514', 'rule "r": rule_payload.priority: no priority with code "fixture-priority-b0000000" in this enterprise or shared',
  'another enterprise''s (or an unknown) priority is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'EVENT', '{"event": "e"}', '{"payload": {}, "recipients": ["d0000000-0000-4000-8000-00000000000d"], "tags": [1]}')$$,
  '23514', 'rule "r": rule_payload.tags: must be a list of strings', 'tags that are not strings are refused');

select * from finish();
rollback;
