begin;
select plan(5);

select tests.create_enterprise_fixture(tests.enterprise_a());

select lives_ok($$select tests.create_rule(tests.enterprise_a(), 'weekly', 'CRON',
  '{"cron": "0 9 * * MON-FRI", "timezone": "Europe/Berlin", "start_at": "2027-01-01T00:00:00", "end_at": "2027-12-31T23:59:00+01:00"}')$$,
  'a CRON rule with names, a range, a zone and bounds saves');
select lives_ok($$select tests.create_rule(tests.enterprise_a(), 'seconds', 'CRON', '{"cron": "*/15 0-30/2 * * jan,jul 0"}')$$,
  'a six-field CRON rule with steps and lists saves');
select lives_ok($$select tests.create_rule(tests.enterprise_a(), 'once', 'SCHEDULE',
  '{"at": ["2027-03-28T02:30:00", "2027-04-01T09:00Z", "2027-04-02T09:00:00.250+02:00"], "timezone": "America/New_York"}')$$,
  'a SCHEDULE rule with a list of wall times and instants saves');
select lives_ok($$select tests.create_rule(tests.enterprise_a(), 'door', 'EVENT',
  '{"event": "door.forced_open", "conditions": {"==": [{"var": "event.payload.floor"}, 3]}}',
  '{"payload": {"doorName": "{{event.payload.doorName}}"}, "recipients": {"event_path": "payload.residentIds"},
    "channels": ["EMAIL", "SMS"], "overrides": {}, "tags": ["door"]}')$$,
  'an EVENT rule with conditions, event recipients, channels, overrides and tags saves');
select lives_ok($$update notify.ent_notification_rule set description = 'edited' where name = 'door'$$,
  'an edit of a well-formed rule saves');

select * from finish();
rollback;
