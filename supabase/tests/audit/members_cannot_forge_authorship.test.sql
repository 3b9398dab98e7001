begin;
select plan(5);

select tests.create_enterprise_fixture(tests.enterprise_a());
select tests.authenticate_as(array[tests.enterprise_a()], 'c0000000-0000-4000-8000-0000000000c1');

insert into notify.ent_notification (name, enterprise_id, payload, recipients, created_by, updated_by, created_at)
  values ('forged', tests.enterprise_a(), '{}', '{}',
    'f0000000-0000-4000-8000-00000000000f', 'f0000000-0000-4000-8000-00000000000f', '2000-01-01');
select is(
  (select created_by from notify.ent_notification where name = 'forged'),
  'c0000000-0000-4000-8000-0000000000c1'::uuid, 'a member''s insert records the member as created_by, whatever it says');
select is(
  (select updated_by from notify.ent_notification where name = 'forged'),
  'c0000000-0000-4000-8000-0000000000c1'::uuid, 'and as updated_by');
select isnt(
  (select created_at from notify.ent_notification where name = 'forged'),
  '2000-01-01'::timestamptz, 'and the real time as created_at');

update notify.ent_notification_template set created_by = 'f0000000-0000-4000-8000-00000000000f'
  where template_key = 'fixture-template-' || left(tests.enterprise_a()::text, 8);
select is(
  (select created_by from notify.ent_notification_template where template_key = 'fixture-template-' || left(tests.enterprise_a()::text, 8)),
  null::uuid, 'a member''s update cannot rewrite created_by (the fixture was created by postgres, no user)');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
insert into notify.ent_notification (name, enterprise_id, payload, recipients, created_by)
  values ('on behalf', tests.enterprise_a(), '{}', '{}', 'b0000000-0000-4000-8000-00000000000b');
select is(
  (select created_by from notify.ent_notification where name = 'on behalf'),
  'b0000000-0000-4000-8000-00000000000b'::uuid, 'service_role (the platform''s back end) records the user it acts for');
select tests.clear_authentication();

select * from finish();
rollback;
