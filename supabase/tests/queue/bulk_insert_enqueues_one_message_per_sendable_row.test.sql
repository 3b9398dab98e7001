begin;
select plan(2);

insert into notify.ent_notification (name, enterprise_id, publish_status, scheduled_for, payload, recipients)
select 'bulk ' || i, tests.enterprise_a(), case when i % 3 = 0 then 'DRAFT' else 'PUBLISH' end::shared_types.publish_status,
  case when i % 2 = 0 then now() + interval '10 minutes' end, '{}', '{}'
from generate_series(1, 300) as i;
select is((select count(*)::int from pgmq.q_notification_dispatch q join notify.ent_notification n on n.id = (q.message ->> 'notification_id')::bigint where n.name like 'bulk %'), 200, 'two hundred published rows, two hundred messages');
select is((select count(distinct (q.message ->> 'notification_id'))::int from pgmq.q_notification_dispatch q join notify.ent_notification n on n.id = (q.message ->> 'notification_id')::bigint where n.name like 'bulk %'), 200, 'one message per row');

select * from finish();
rollback;
