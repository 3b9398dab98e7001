begin;
select plan(3);

select tests.create_enterprise_fixture(tests.enterprise_a());

select lives_ok($$select tests.create_rule(tests.enterprise_a(), 'draft', 'CRON', null, null, 'DRAFT')$$,
  'a draft may be saved without trigger_config and rule_payload');
select throws_ok($$update notify.ent_notification_rule set publish_status = 'PUBLISH' where name = 'draft'$$,
  '23514', 'rule "draft": trigger_config: required for a published, active rule',
  'publishing an incomplete rule is refused');
select throws_ok($$select tests.create_rule(tests.enterprise_a(), 'r', 'EVENT', '{"event": "e"}', null)$$,
  '23514', 'rule "r": rule_payload: required for a published, active rule',
  'a published rule without rule_payload is refused');

select * from finish();
rollback;
