-- Delivery outcomes per channel for the dashboard (issue 11): what Novu's
-- message webhooks (notify.delivery_event) said about each message of the last
-- day, per enterprise, workflow and channel. A message is Novu's message id
-- (one per subscriber and channel step); its outcome is the furthest event it
-- reached. security_invoker: the delivery_event policy limits members to their
-- enterprises.

create view notify.dashboard_delivery_outcomes
with (security_invoker = true)
as
with messages as (
  select e.enterprise_id, n.notification_workflow_id as workflow_id, e.channel,
    coalesce(e.message_id, e.transaction_id || '/' || coalesce(e.subscriber_id, '') || '/' || coalesce(e.step_id, '')) as message,
    bool_or(e.event_type = 'message.sent') as sent,
    bool_or(e.event_type = 'message.delivered') as delivered,
    bool_or(e.event_type in ('message.seen', 'message.read')) as seen,
    bool_or(e.event_type = 'message.failed') as failed
  from notify.delivery_event e
  join notify.ent_notification n on n.id = e.notification_id
  where e.occurred_at > now() - interval '1 day'
  group by 1, 2, 3, 4
)
select m.enterprise_id, m.workflow_id, w.workflow_key, m.channel,
  count(*) as messages,
  count(*) filter (where m.sent) as sent,
  count(*) filter (where m.delivered) as delivered,
  count(*) filter (where m.seen) as seen,
  count(*) filter (where m.failed) as failed,
  round(count(*) filter (where m.delivered)::numeric / count(*), 3) as delivered_ratio,
  round(count(*) filter (where m.seen)::numeric / count(*), 3) as seen_ratio,
  round(count(*) filter (where m.failed)::numeric / count(*), 3) as failed_ratio
from messages m
left join notify.ent_notification_workflow w on w.id = m.workflow_id
group by m.enterprise_id, m.workflow_id, w.workflow_key, m.channel;
comment on view notify.dashboard_delivery_outcomes is 'Messages Novu reported on in the last day (its message webhooks, notify.delivery_event), per enterprise, workflow and channel: how many were sent, delivered, seen (or read) and failed, and the delivered, seen and failed ratios of all messages. A rising failed_ratio on one channel points at its provider; a low seen_ratio for IN_APP at the inbox.';
grant select on notify.dashboard_delivery_outcomes to authenticated, service_role;
