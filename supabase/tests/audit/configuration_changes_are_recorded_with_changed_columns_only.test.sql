begin;
select plan(9);

select tests.authenticate_as(array[tests.enterprise_a()], 'c0000000-0000-4000-8000-0000000000a1');
insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id)
values ('audited', 'tap-audited', 'EMAIL', 'Hello', tests.enterprise_a());
update notify.ent_notification_template set body_template = 'Hello {{name}}', description = 'greeting' where template_key = 'tap-audited';
update notify.ent_notification_template set body_template = 'Hello {{name}}' where template_key = 'tap-audited';
delete from notify.ent_notification_template where template_key = 'tap-audited';
select tests.clear_authentication();

create temporary table trail as
  select a.* from notify.configuration_audit a
   where a.table_name = 'ent_notification_template'
     and a.row_id = (select (old_values ->> 'id')::bigint from notify.configuration_audit
                      where table_name = 'ent_notification_template' and operation = 'DELETE'
                        and old_values ->> 'template_key' = 'tap-audited')
   order by a.id;

select is((select array_agg(operation order by id) from trail), array['INSERT', 'UPDATE', 'DELETE'], 'insert, the update that changed something, and delete are recorded; an update that changed nothing is not');
select is((select new_values ->> 'body_template' from trail where operation = 'INSERT'), 'Hello', 'an insert records the new row');
select is((select old_values from trail where operation = 'UPDATE'), '{"body_template": "Hello", "description": null}'::jsonb, 'an update records the old values of the changed columns only');
select is((select new_values from trail where operation = 'UPDATE'), '{"body_template": "Hello {{name}}", "description": "greeting"}'::jsonb, 'and their new values');
select is((select old_values ->> 'template_key' from trail where operation = 'DELETE'), 'tap-audited', 'a delete records the old row');
select is((select array_agg(distinct changed_by::text) from trail), array['c0000000-0000-4000-8000-0000000000a1'], 'who made each change');
select is((select array_agg(distinct changed_by_role) from trail), array['authenticated'], 'with their role');
select is((select array_agg(distinct enterprise_id) from trail), array[tests.enterprise_a()], 'in the row''s enterprise');

select tests.create_enterprise_fixture(tests.enterprise_b());
select ok(
  (select count(*) from notify.configuration_audit where enterprise_id = tests.enterprise_b() and operation = 'INSERT')
    >= 5,
  'workflows, rules, priorities and categories are audited too');

select * from finish();
rollback;
