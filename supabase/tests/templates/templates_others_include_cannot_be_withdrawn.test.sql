begin;
select plan(6);

insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
values ('footer', 'tap-footer', 'EMAIL', 'Footer', null, 'PUBLISH');
insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
values
  ('a', 'tap-a-mail', 'EMAIL', 'A {{ xnovu_render("tap-footer") }}', tests.enterprise_a(), 'PUBLISH'),
  ('b', 'tap-b-mail', 'EMAIL', 'B {{ xnovu_render("tap-footer") }}', tests.enterprise_b(), 'PUBLISH');

select throws_ok(
  $$delete from notify.ent_notification_template where template_key = 'tap-footer'$$,
  '23503', 'template "tap-footer": cannot delete it, it is included by tap-a-mail, tap-b-mail',
  'deleting an included template is refused naming its includers');
select throws_ok(
  $$update notify.ent_notification_template set deactivated = true where template_key = 'tap-footer'$$,
  '23503', 'template "tap-footer": cannot unpublish or deactivate it, it is included by tap-a-mail, tap-b-mail',
  'deactivating it is refused');
select throws_ok(
  $$update notify.ent_notification_template set template_key = 'tap-footer-2' where template_key = 'tap-footer'$$,
  '23503', 'template "tap-footer": cannot rename it, it is included by tap-a-mail, tap-b-mail',
  'renaming it is refused');
select throws_ok(
  $$update notify.ent_notification_template set enterprise_id = tests.enterprise_a() where template_key = 'tap-footer'$$,
  '23503', format('template "tap-footer": cannot move it to enterprise %s, it is included by tap-b-mail', tests.enterprise_a()),
  'moving it out of reach of an includer is refused');
select lives_ok(
  $$delete from notify.ent_notification_template where template_key in ('tap-a-mail', 'tap-b-mail', 'tap-footer')$$,
  'one statement deleting the template with all its includers passes');
select is_empty(
  $$select 1 from notify.ent_notification_template where template_key like 'tap-%'$$,
  'all three are gone');

select * from finish();
rollback;
