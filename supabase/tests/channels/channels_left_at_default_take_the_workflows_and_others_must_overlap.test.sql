begin;
select plan(9);

insert into notify.ent_notification_workflow (name, workflow_key, workflow_type, default_channels, enterprise_id, publish_status)
values ('email only', 'tap-email-only', 'DYNAMIC', '{EMAIL,SMS}', tests.enterprise_a(), 'PUBLISH'),
       ('with in-app', 'tap-with-in-app', 'DYNAMIC', '{IN_APP,EMAIL}', tests.enterprise_a(), 'PUBLISH');

create function pg_temp.workflow_id(p_key text) returns bigint language sql as $$
  select id from notify.ent_notification_workflow where workflow_key = p_key
$$;

-- As the platform inserts: channels left out, so the column default {IN_APP}.
insert into notify.ent_notification (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients)
values ('left out', tests.enterprise_a(), pg_temp.workflow_id('tap-email-only'), 'PUBLISH', '{}', '{d0000000-0000-4000-8000-00000000000d}'),
       ('left out, in-app offered', tests.enterprise_a(), pg_temp.workflow_id('tap-with-in-app'), 'PUBLISH', '{}', '{d0000000-0000-4000-8000-00000000000d}');
insert into notify.ent_notification (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients, channels)
values ('narrowed', tests.enterprise_a(), pg_temp.workflow_id('tap-email-only'), 'PUBLISH', '{}', '{d0000000-0000-4000-8000-00000000000d}', '{SMS,PUSH}');

select is((select channels::text from notify.ent_notification where name = 'left out'), '{EMAIL,SMS}', 'channels left at the default take the workflow''s when it does not offer IN_APP');
select is((select channels::text from notify.ent_notification where name = 'left out, in-app offered'), '{IN_APP}', 'the default stays where the workflow offers IN_APP');
select is((select channels::text from notify.ent_notification where name = 'narrowed'), '{SMS,PUSH}', 'channels that overlap the workflow''s are kept as given');

select throws_ok(
  format($$insert into notify.ent_notification (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients, channels)
           values ('push only', %L, %s, 'PUBLISH', '{}', '{d0000000-0000-4000-8000-00000000000d}', '{PUSH,CHAT}')$$, tests.enterprise_a(), pg_temp.workflow_id('tap-email-only')),
  '23514',
  'notification "push only": none of its channels {PUSH,CHAT} is offered by workflow "tap-email-only", which sends on {EMAIL,SMS}',
  'channels that share none with the workflow''s are refused on insert, naming the workflow''s'
);
select is((select count(*) from notify.ent_notification where name = 'push only'), 0::bigint, 'nothing of it is stored');
select throws_ok(
  $$update notify.ent_notification set channels = '{CHAT}' where name = 'narrowed'$$,
  '23514', null, 'and on update of channels'
);
select throws_ok(
  format($$update notify.ent_notification set notification_workflow_id = %s, channels = '{PUSH}' where name = 'left out, in-app offered'$$, pg_temp.workflow_id('tap-email-only')),
  '23514', null, 'and on a change of workflow'
);
update notify.ent_notification set notification_workflow_id = pg_temp.workflow_id('tap-email-only') where name = 'left out, in-app offered';
select is((select channels::text from notify.ent_notification where name = 'left out, in-app offered'), '{EMAIL,SMS}', 'a default row moved to a workflow without IN_APP takes its channels');

select tests.authenticate_as(array[tests.enterprise_a()]);
insert into notify.ent_notification (name, enterprise_id, notification_workflow_id, publish_status, payload, recipients)
values ('member left out', tests.enterprise_a(), pg_temp.workflow_id('tap-email-only'), 'PUBLISH', '{}', '{d0000000-0000-4000-8000-00000000000d}');
select tests.clear_authentication();
select is((select channels::text from notify.ent_notification where name = 'member left out'), '{EMAIL,SMS}', 'a member''s insert is fitted the same way');

select * from finish();
rollback;
