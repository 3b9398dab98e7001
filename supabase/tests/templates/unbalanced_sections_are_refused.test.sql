begin;
select plan(4);

select throws_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id)
    values ('bad', 'tap-unclosed', 'EMAIL', '{{#items}}<li>{{name}}</li>', tests.enterprise_a())$$,
  '22P02', 'template "tap-unclosed": malformed mustache in body_template at offset 27 (line 1, column 28): Unclosed section "items"',
  'a section that is never closed is refused');
select throws_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id)
    values ('bad', 'tap-unopened', 'EMAIL', 'Hello{{/items}}', tests.enterprise_a())$$,
  '22P02', 'template "tap-unopened": malformed mustache in body_template at offset 5 (line 1, column 6): Unopened section "items"',
  'a closing tag without its section is refused');
select throws_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id)
    values ('bad', 'tap-crossed', 'EMAIL', '{{#a}}{{^b}}{{/a}}{{/b}}', tests.enterprise_a())$$,
  '22P02', 'template "tap-crossed": malformed mustache in body_template at offset 12 (line 1, column 13): Unclosed section "b"',
  'crossed sections are refused');
select lives_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id)
    values ('ok', 'tap-balanced', 'EMAIL', '{{# items }}<li>{{name}}{{^last}},{{/last}}</li>{{/items}}{{{raw}}}{{! note }}', tests.enterprise_a())$$,
  'balanced sections, triple braces and comments are accepted');

select * from finish();
rollback;
