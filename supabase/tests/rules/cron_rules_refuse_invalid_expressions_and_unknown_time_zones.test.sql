begin;
select plan(7);

select tests.create_enterprise_fixture(tests.enterprise_a());

select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'CRON', '{"cron": "0 9 * *"}')$$,
  '23514', 'rule "r": trigger_config.cron: "0 9 * *" has 4 fields; expected 5 (minute hour day-of-month month day-of-week) or 6 (with leading seconds)',
  'a cron expression with too few fields is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'CRON', '{"cron": "61 9 * * *"}')$$,
  '23514', 'rule "r": trigger_config.cron: "61 9 * * *": minute field value "61" is outside 0-59',
  'a minute out of range is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'CRON', '{"cron": "0 9 * * funday"}')$$,
  '23514', 'rule "r": trigger_config.cron: "0 9 * * funday": day-of-week field value "funday" is outside 0-7',
  'an unknown day name is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'CRON', '{"cron": "0 17-9 * * *"}')$$,
  '23514', 'rule "r": trigger_config.cron: "0 17-9 * * *": hour field range "17-9" runs backwards',
  'a backwards range is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'CRON', '{"cron": "0 9 * * 1", "timezone": "Mars/Olympus_Mons"}')$$,
  '23514', 'rule "r": trigger_config.timezone: unknown time zone "Mars/Olympus_Mons"',
  'an unknown time zone is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'CRON', '{"cron": "0 9 * * 1", "timezone": "XYZ+3"}')$$,
  '23514', 'rule "r": trigger_config.timezone: "XYZ+3" is not an IANA time zone name such as Europe/Berlin',
  'a POSIX zone spec is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'CRON', '{"cron": "0 9 * * 1", "every": "week"}')$$,
  '23514', 'rule "r": trigger_config.every: unknown key for a CRON rule',
  'an unknown key is refused');

select * from finish();
rollback;
