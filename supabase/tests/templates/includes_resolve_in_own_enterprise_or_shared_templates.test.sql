begin;
select plan(6);

insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
values
  ('shared', 'tap-shared-footer', 'EMAIL', 'Shared {{site}}', null, 'PUBLISH'),
  ('b only', 'tap-b-footer', 'EMAIL', 'B', tests.enterprise_b(), 'PUBLISH'),
  ('a draft', 'tap-a-draft', 'EMAIL', 'Draft', tests.enterprise_a(), 'DRAFT');

select throws_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
    values ('a', 'tap-a-missing', 'EMAIL', '{{ xnovu_render("tap-nowhere") }}', tests.enterprise_a(), 'PUBLISH')$$,
  '23503', 'template "tap-a-missing": include of "tap-nowhere" does not resolve to a published, active template of enterprise a0000000-0000-4000-8000-00000000000a or a shared one (include chain tap-a-missing → tap-nowhere)',
  'an include of a template that does not exist is refused');
select throws_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
    values ('a', 'tap-a-uses-b', 'EMAIL', '{{ xnovu_render("tap-b-footer") }}', tests.enterprise_a(), 'PUBLISH')$$,
  '23503', 'template "tap-a-uses-b": include of "tap-b-footer" does not resolve to a published, active template of enterprise a0000000-0000-4000-8000-00000000000a or a shared one (include chain tap-a-uses-b → tap-b-footer)',
  'another enterprise''s template is not a valid reference');
select lives_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
    values ('a', 'tap-a-uses-shared', 'EMAIL', '{{ xnovu_render("tap-shared-footer", { site: "Lobby, 2: {east}", n: 3, ok: true, who: user.name }) }}', tests.enterprise_a(), 'PUBLISH')$$,
  'a shared template is a valid reference, with commas, colons and braces in string arguments');
select throws_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
    values ('a', 'tap-a-uses-draft', 'EMAIL', '{{ xnovu_render("tap-a-draft") }}', tests.enterprise_a(), 'PUBLISH')$$,
  '23503', 'template "tap-a-uses-draft": include of "tap-a-draft" does not resolve to a published, active template of enterprise a0000000-0000-4000-8000-00000000000a or a shared one (include chain tap-a-uses-draft → tap-a-draft)',
  'a published template cannot include a draft, which never renders');
select lives_ok(
  $$insert into notify.ent_notification_template (name, template_key, channel_type, body_template, enterprise_id, publish_status)
    values ('a', 'tap-a-draft-uses-draft', 'EMAIL', '{{ xnovu_render("tap-a-draft") }}', tests.enterprise_a(), 'DRAFT')$$,
  'a draft may include another existing draft');
select throws_ok(
  $$update notify.ent_notification_template set publish_status = 'PUBLISH' where template_key = 'tap-a-draft-uses-draft'$$,
  '23503', 'template "tap-a-draft-uses-draft": include of "tap-a-draft" does not resolve to a published, active template of enterprise a0000000-0000-4000-8000-00000000000a or a shared one (include chain tap-a-draft-uses-draft → tap-a-draft)',
  'publishing it is refused while its include is still a draft');

select * from finish();
rollback;
