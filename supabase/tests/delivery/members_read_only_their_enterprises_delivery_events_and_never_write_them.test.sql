begin;
select plan(6);

select tests.create_notification_in_status(tests.enterprise_a(), 'sent a', 'SENT');
select tests.create_notification_in_status(tests.enterprise_b(), 'sent b', 'SENT');
select notify_internal.record_delivery_event(
  p_svix_id => 'msg_' || n.name, p_event_id => 'evt_' || n.name, p_event_type => 'message.delivered',
  p_notification_id => n.id, p_transaction_id => format('xnovu-%s-0', n.id),
  p_subscriber_id => 'd0000000-0000-4000-8000-00000000000d', p_channel => 'in_app', p_step_id => 'in-app',
  p_message_id => 'm1', p_error_message => null, p_data => '{}', p_occurred_at => now()
) from notify.ent_notification n where n.name in ('sent a', 'sent b');

select tests.authenticate_as(array[tests.enterprise_a()]);
select results_eq($$select event_id from notify.delivery_event$$, $$values ('evt_sent a')$$, 'a member reads its enterprise''s delivery events only');
select throws_ok($$insert into notify.delivery_event (event_id, svix_id, notification_id, transaction_id, event_type, data, occurred_at) select 'evt_x', 'msg_x', id, 'xnovu-1-0', 'message.read', '{}', now() from notify.ent_notification limit 1$$, '42501', null, 'a member cannot insert delivery events');
select throws_ok($$update notify.delivery_event set event_type = 'message.failed'$$, '42501', null, 'nor update them');
select throws_ok($$delete from notify.delivery_event$$, '42501', null, 'nor delete them');
select throws_ok($$select notify_internal.record_delivery_event('msg_y', 'evt_y', 'message.read', 1, 'xnovu-1-0', null, null, null, null, null, '{}', now())$$, '42501', null, 'nor record them through the function');
select tests.clear_authentication();

select tests.authenticate_as(array[]::uuid[]);
select is((select count(*) from notify.delivery_event), 0::bigint, 'a member of no enterprise reads none');

select * from finish();
rollback;
