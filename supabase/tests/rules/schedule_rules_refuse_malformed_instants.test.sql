begin;
select plan(4);

select tests.create_enterprise_fixture(tests.enterprise_a());

select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'SCHEDULE', '{"timezone": "UTC"}')$$,
  '23514', 'rule "r": trigger_config.at: required, a date-time or a list of them', 'a SCHEDULE rule needs at');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'SCHEDULE', '{"at": "next monday"}')$$,
  '23514', 'rule "r": trigger_config.at: "next monday" is not an ISO 8601 date-time such as "2027-03-28T02:30:00"',
  'a date-time that is not ISO 8601 is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'SCHEDULE', '{"at": ["2027-01-01T09:00:00", "2027-02-30T09:00:00"]}')$$,
  '23514', 'rule "r": trigger_config.at[1]: "2027-02-30T09:00:00" is not a valid date-time',
  'an impossible date in a list is refused, naming its index');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'SCHEDULE', '{"at": []}')$$,
  '23514', 'rule "r": trigger_config.at: a list of 1 to 1000 date-times', 'an empty list is refused');

select * from finish();
rollback;
