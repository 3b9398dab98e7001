begin;
select plan(3);

select tests.create_notification_in_status(tests.enterprise_a(), 'a sent', 'SENT');
select tests.create_notification_in_status(tests.enterprise_b(), 'b sent', 'SENT');
-- Message a1 delivered and seen, a2 failed, both EMAIL; b1 delivered, SMS.
insert into notify.delivery_event
  (event_id, svix_id, notification_id, enterprise_id, transaction_id, event_type, subscriber_id, channel, message_id, data, occurred_at)
select v.event_id, 'msg_' || v.event_id, n.id, n.enterprise_id, 'xnovu-' || n.id || '-0', v.event_type, 'd0000000-0000-4000-8000-00000000000d',
  v.channel::shared_types.notification_channel_type, v.message_id, '{}', now()
from (values ('e1', 'a sent', 'message.sent', 'EMAIL', 'a1'), ('e2', 'a sent', 'message.delivered', 'EMAIL', 'a1'),
             ('e3', 'a sent', 'message.seen', 'EMAIL', 'a1'), ('e4', 'a sent', 'message.sent', 'EMAIL', 'a2'),
             ('e5', 'a sent', 'message.failed', 'EMAIL', 'a2'), ('e6', 'b sent', 'message.delivered', 'SMS', 'b1'))
  v (event_id, name, event_type, channel, message_id)
join notify.ent_notification n on n.name = v.name;

select tests.authenticate_as(array[tests.enterprise_a()]);
select results_eq(
  $$select channel::text, messages, sent, delivered, seen, failed, delivered_ratio, failed_ratio from notify.dashboard_delivery_outcomes$$,
  $$values ('EMAIL', 2::bigint, 2::bigint, 1::bigint, 1::bigint, 1::bigint, 0.5, 0.5)$$,
  'a member sees its enterprise''s messages per channel: one delivered and seen, one failed'
);
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select results_eq(
  $$select enterprise_id, channel::text from notify.dashboard_delivery_outcomes
     where enterprise_id in (tests.enterprise_a(), tests.enterprise_b()) order by 1$$,
  $$values (tests.enterprise_a(), 'EMAIL'), (tests.enterprise_b(), 'SMS')$$,
  'service_role sees every enterprise''s outcomes'
);
select tests.clear_authentication();

select tests.authenticate_as(array[tests.enterprise_b()]);
select results_eq($$select channel::text, delivered_ratio from notify.dashboard_delivery_outcomes$$, $$values ('SMS', 1.000)$$, 'the other member sees only its own');

select * from finish();
rollback;
