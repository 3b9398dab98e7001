begin;
select plan(1);

select trigger_is('notify', 'ent_notification_template', 'notify_template_changed', 'notify_internal', 'notify_template_changed',
  'every template row change is announced on xnovu_template_changed');

select * from finish();
rollback;
