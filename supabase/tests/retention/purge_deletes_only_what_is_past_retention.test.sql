begin;
select plan(13);

delete from notify_internal.local_setting where name like 'retention_%';
insert into notify_internal.local_setting (name, value)
values ('retention_status_history_days', '30'), ('retention_queue_archive_days', '7'), ('retention_http_response_days', '2'),
       ('retention_delivery_event_days', '60');

select tests.create_notification_in_status(tests.enterprise_a(), 'old sent', 'SENT');
select tests.create_notification_in_status(tests.enterprise_a(), 'old retracted', 'RETRACTED');
select tests.create_notification_in_status(tests.enterprise_a(), 'recent sent', 'SENT');
select tests.create_notification_in_status(tests.enterprise_a(), 'old processing', 'PROCESSING');
update notify.ent_notification set processed_at = now() - interval '40 days' where name = 'old sent';
update notify.ent_notification set retracted_at = now() - interval '40 days' where name = 'old retracted';
update notify.notification_status_history set changed_at = now() - interval '40 days'
 where notification_id in (select id from notify.ent_notification where name in ('old sent', 'old retracted', 'old processing'));

create function pg_temp.history_of(p_name text) returns bigint language sql as $$
  select count(*) from notify.notification_status_history h join notify.ent_notification n on n.id = h.notification_id where n.name = p_name
$$;

select pgmq.archive(queue_name => 'notification_dispatch', msg_id => pgmq.send(queue_name => 'notification_dispatch', msg => '{"purge": "old"}'));
select pgmq.archive(queue_name => 'notification_dispatch', msg_id => pgmq.send(queue_name => 'notification_dispatch', msg => '{"purge": "recent"}'));
update pgmq.a_notification_dispatch set archived_at = now() - interval '10 days' where message ->> 'purge' = 'old';
-- A per-enterprise lane's archive is purged like the intake's.
select pgmq.create('nl9_purge_test');
select pgmq.archive(queue_name => 'nl9_purge_test', msg_id => pgmq.send(queue_name => 'nl9_purge_test', msg => '{"purge": "old"}'));
select pgmq.archive(queue_name => 'nl9_purge_test', msg_id => pgmq.send(queue_name => 'nl9_purge_test', msg => '{"purge": "recent"}'));
update pgmq.a_nl9_purge_test set archived_at = now() - interval '10 days' where message ->> 'purge' = 'old';
insert into notify.delivery_event (event_id, svix_id, notification_id, enterprise_id, transaction_id, event_type, data, occurred_at, received_at)
select 'evt_' || age, 'msg_' || age, n.id, n.enterprise_id, 'xnovu-' || n.id || '-0', 'message.delivered', '{}', now() - received, now() - received
  from notify.ent_notification n,
       (values ('old', interval '61 days'), ('recent', interval '59 days')) as ages (age, received)
 where n.name = 'recent sent';
insert into net._http_response (id, status_code, created) values (-1, 200, now() - interval '3 days'), (-2, 200, now() - interval '1 day');

select results_eq(
  $$select target, deleted from notify_internal.purge_expired_batch(1)
     where target in ('net._http_response', 'notify.delivery_event', 'notify.notification_status_history',
                      'pgmq.a_notification_cancellation', 'pgmq.a_notification_dispatch', 'pgmq.a_nl9_purge_test')
     order by target$$,
  $$values ('net._http_response', 1::bigint), ('notify.delivery_event', 1::bigint),
           ('notify.notification_status_history', 1::bigint), ('pgmq.a_nl9_purge_test', 1::bigint),
           ('pgmq.a_notification_cancellation', 0::bigint), ('pgmq.a_notification_dispatch', 1::bigint)$$,
  'one batch deletes at most the batch size from each target, every queue''s archive included, and says how many');
select notify_internal.purge_expired_batch(1000);

select is(pg_temp.history_of('old sent'), 0::bigint, 'the history of a notification SENT longer ago than retention is purged');
select is(pg_temp.history_of('old retracted'), 0::bigint, 'so is a long-RETRACTED one''s');
select is(pg_temp.history_of('recent sent'), 2::bigint, 'a recently SENT one keeps its history');
select is(pg_temp.history_of('old processing'), 1::bigint, 'an unsettled one keeps its history however old');
select is((select count(*) from notify.ent_notification where name in ('old sent', 'old retracted')), 2::bigint, 'the notifications themselves stay');
select is((select array_agg(message ->> 'purge') from pgmq.a_notification_dispatch where message ? 'purge'), array['recent'], 'archived queue messages past retention are purged, recent ones kept');
select is((select array_agg(message ->> 'purge') from pgmq.a_nl9_purge_test), array['recent'], 'a lane''s archive keeps only what is within retention');
select is((select array_agg(event_id) from notify.delivery_event where event_id in ('evt_old', 'evt_recent')), array['evt_recent'], 'delivery events past retention are purged, recent ones kept');
select is((select array_agg(id) from net._http_response where id < 0), array[-2::bigint], 'pg_net responses past retention are purged, recent ones kept');
select is((select sum(deleted) from notify_internal.purge_expired_batch(1000)), 0::numeric, 'a further batch finds nothing left');

select results_eq(
  $$select schedule, command from cron.job where jobname = 'xnovu-retention-purge'$$,
  $$values ('17 * * * *'::text, 'call notify_internal.purge_expired()'::text)$$,
  'an hourly pg_cron job runs the purge');
select throws_ok($$call notify_internal.purge_expired()$$, '2D000', null, 'the purge commits between batches, so it runs only outside a transaction (as pg_cron runs it)');

select * from finish();
rollback;
