begin;
select plan(4);

insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
values ('leaf', 'tap-leaf', 'EMAIL', 'Leaf {{who}}', null, 'PUBLISH');

select lives_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
    values ('middle', 'tap-middle', 'EMAIL', E'{{#rooms}}{{ xnovu_render(''tap-leaf'', { who: ''a, b: {c}'', "x y": name, n: -2.5, ok: false, }) }}{{/rooms}}', tests.enterprise_a(), 'PUBLISH')$$,
  'an include inside a section with commas, colons and braces in its strings saves');
select lives_ok(
  format($$insert into notify.ent_notification_template (name, template_key, channel_type, subject_template, body_template, enterprise_id, publish_status)
    values ('top', 'tap-top', 'EMAIL', 'Top {{ xnovu_render(%s) }}', '{{ xnovu_render(''%s'') }} and {{ xnovu_render("tap-middle") }}', tests.enterprise_a(), 'PUBLISH')$$,
    (select id from notify.ent_notification_template where template_key = 'tap-leaf'),
    (select id from notify.ent_notification_template where template_key = 'tap-middle')),
  'includes by integer id and by quoted id save, three levels deep');
select results_eq(
  $$select ref_key, ref_label from notify_internal.template_includes('{{ xnovu_render(''k'', { s: ''}) }}'' }) }}{{xnovu_render("007")}}')$$,
  $$values ('k'::text, 'k'::text), (null, '#7')$$,
  'template_includes reads a }} inside a string and a quoted id');
select lives_ok(
  $$update notify.ent_notification_template set body_template = 'Leaf v2 {{who}}' where template_key = 'tap-leaf'$$,
  'editing an included template keeps the graph valid');

select * from finish();
rollback;
