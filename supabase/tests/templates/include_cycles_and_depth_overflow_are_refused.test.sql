begin;
select plan(5);

select throws_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
    values ('self', 'tap-self', 'EMAIL', 'Me {{ xnovu_render("tap-self") }}', tests.enterprise_a(), 'PUBLISH')$$,
  '23514', 'template "tap-self": include cycle tap-self → tap-self',
  'a template including itself is refused');

insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
values ('a', 'tap-a', 'EMAIL', 'A', tests.enterprise_a(), 'PUBLISH');
insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
values ('b', 'tap-b', 'EMAIL', 'B {{ xnovu_render("tap-a") }}', tests.enterprise_a(), 'PUBLISH');

select throws_ok(
  $$update notify.ent_notification_template set body_template = 'A {{ xnovu_render("tap-b") }}' where template_key = 'tap-a'$$,
  '23514', 'template "tap-a": include cycle tap-a → tap-b → tap-a',
  'updating a template into a 2-cycle is refused with the chain');
select throws_ok(
  $$update notify.ent_notification_template set subject_template = '{{ xnovu_render("tap-b") }}' where template_key = 'tap-a'$$,
  '23514', 'template "tap-a": include cycle tap-a → tap-b → tap-a',
  'a cycle through the subject is refused too');

-- tap-level-0 <- tap-level-1 <- ... <- tap-level-10: ten levels below the top one.
insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
values ('level 0', 'tap-level-0', 'EMAIL', 'bottom', tests.enterprise_a(), 'PUBLISH');
do $$
begin
  for v_level in 1 .. 10 loop
    insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
    values ('level ' || v_level, 'tap-level-' || v_level, 'EMAIL',
            format('{{ xnovu_render(%L) }}', 'tap-level-' || (v_level - 1)), tests.enterprise_a(), 'PUBLISH');
  end loop;
end
$$;
select is(
  (select count(*) from notify.ent_notification_template where template_key like 'tap-level-%'), 11::bigint,
  'a chain of ten include levels is accepted');
select throws_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
    values ('level 11', 'tap-level-11', 'EMAIL', '{{ xnovu_render("tap-level-10") }}', tests.enterprise_a(), 'PUBLISH')$$,
  '23514', 'template "tap-level-11": includes nested deeper than 10 levels: tap-level-11 → tap-level-10 → tap-level-9 → tap-level-8 → tap-level-7 → tap-level-6 → tap-level-5 → tap-level-4 → tap-level-3 → tap-level-2 → tap-level-1 → tap-level-0',
  'an eleventh level is refused with the chain');

select * from finish();
rollback;
