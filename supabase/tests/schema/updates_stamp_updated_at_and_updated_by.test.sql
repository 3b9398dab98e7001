begin;
select plan(2);

select tests.create_notification(tests.enterprise_a(), 'stamped');
update notify.ent_notification set updated_at = '2000-01-01', updated_by = null where name = 'stamped';
select tests.authenticate_as(array[tests.enterprise_a()], 'e0000000-0000-4000-8000-00000000000e');
update notify.ent_notification set description = 'changed' where name = 'stamped';
select tests.clear_authentication();
select is((select updated_by from notify.ent_notification where name = 'stamped'), 'e0000000-0000-4000-8000-00000000000e'::uuid, 'updated_by is the updating user');
select ok((select updated_at > '2000-01-01' from notify.ent_notification where name = 'stamped'), 'updated_at is reset to the update time');

select * from finish();
rollback;
