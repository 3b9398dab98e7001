begin;
select plan(6);

insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
values ('footer', 'tap-footer', 'EMAIL', 'Footer', tests.enterprise_a(), 'PUBLISH');

select throws_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id)
    values ('bad', 'tap-missing-paren', 'EMAIL', 'Hi {{ xnovu_render("tap-footer" }}', tests.enterprise_a())$$,
  '22P02', 'template "tap-missing-paren": malformed include in body_template at offset 32 (line 1, column 33): expected ")"',
  'a missing closing parenthesis is refused with its offset');
select throws_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id)
    values ('bad', 'tap-unquoted', 'EMAIL', E'Hi\n{{ xnovu_render(tap-footer) }}', tests.enterprise_a())$$,
  '22P02', 'template "tap-unquoted": malformed include in body_template at offset 19 (line 2, column 17): expected a quoted template key or a positive integer id',
  'an unquoted key is refused with its line and column');
select throws_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id)
    values ('bad', 'tap-trailing', 'EMAIL', '{{ xnovu_render("tap-footer") extra }}', tests.enterprise_a())$$,
  '22P02', 'template "tap-trailing": malformed include in body_template at offset 30 (line 1, column 31): expected "}}" to close the xnovu_render tag',
  'trailing garbage before }} is refused');
select throws_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id)
    values ('bad', 'tap-unterminated', 'EMAIL', '{{ xnovu_render("tap-footer", { a: "open }) }}', tests.enterprise_a())$$,
  '22P02', 'template "tap-unterminated": malformed include in body_template at offset 35 (line 1, column 36): unterminated string',
  'an unterminated string is refused');
select throws_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, subject_template, body_template, enterprise_id)
    values ('bad', 'tap-subject', 'EMAIL', '{{{ xnovu_render("tap-footer") }}}', 'Body', tests.enterprise_a())$$,
  '22P02', 'template "tap-subject": malformed include in subject_template at offset 0 (line 1, column 1): write it as {{ xnovu_render(...) }}',
  'a malformed include in the subject names the subject');
select throws_ok(
  $$update notify.ent_notification_template set body_template = '{{ xnovu_render("tap-footer", { a: 1, a: 2 }) }}' where template_key = 'tap-footer'$$,
  '22P02', 'template "tap-footer": malformed include in body_template at offset 38 (line 1, column 39): duplicate argument "a"',
  'an update into a malformed include is refused');

select * from finish();
rollback;
