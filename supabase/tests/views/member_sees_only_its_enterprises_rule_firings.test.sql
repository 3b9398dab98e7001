begin;
select plan(3);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.create_enterprise_fixture(tests.enterprise_b());
select tests.create_rule(tests.enterprise_a(), 'a rule', 'EVENT', '{"event": "door.opened"}');
select tests.create_rule(tests.enterprise_b(), 'b rule', 'EVENT', '{"event": "door.opened"}');
insert into notify.rule_firing (enterprise_id, notification_rule_id, rule_version, fire_at, outcome, reason, created_at)
select r.enterprise_id, r.id, r.updated_at, now() + make_interval(mins => v.i), v.outcome, v.reason, now() - make_interval(mins => v.ago)
from notify.ent_notification_rule r
join (values ('a rule', 1, 'skipped', 'too late', 90), ('a rule', 2, 'skipped', 'later', 5), ('a rule', 3, 'created', null, 5),
             ('b rule', 1, 'failed', 'no audience', 5)) v (rule, i, outcome, reason, ago) on v.rule = r.name;

select tests.authenticate_as(array[tests.enterprise_a()]);
select results_eq(
  $$select rule_name, outcome, last_hour, last_day, last_reason from notify.dashboard_rule_firings order by outcome$$,
  $$values ('a rule', 'created', 1::bigint, 1::bigint, null), ('a rule', 'skipped', 1::bigint, 2::bigint, 'later')$$,
  'a member sees its rules'' firings by outcome over the last hour and day, with the latest reason'
);
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select results_eq(
  $$select rule_name, outcome from notify.dashboard_rule_firings where enterprise_id in (tests.enterprise_a(), tests.enterprise_b()) order by 1, 2$$,
  $$values ('a rule', 'created'), ('a rule', 'skipped'), ('b rule', 'failed')$$,
  'service_role sees every enterprise''s firings'
);
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_b()]);
select results_eq($$select last_reason from notify.dashboard_rule_firings$$, $$values ('no audience')$$, 'the other member sees only its failed firing');

select * from finish();
rollback;
