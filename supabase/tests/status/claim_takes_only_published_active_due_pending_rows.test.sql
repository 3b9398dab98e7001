begin;
select plan(3);

select tests.create_notification(tests.enterprise_a(), 'draft');
select tests.create_notification(tests.enterprise_a(), 'future', 'PUBLISH', now() + interval '1 hour');
select tests.create_notification(tests.enterprise_a(), 'due', 'PUBLISH', now() - interval '1 minute');
select tests.create_notification(tests.enterprise_a(), 'deactivated', 'PUBLISH');
update notify.ent_notification set deactivated = true where name = 'deactivated';
select tests.create_notification_in_status(tests.enterprise_a(), 'sent', 'SENT');
select tests.create_notification_in_status(tests.enterprise_a(), 'processing', 'PROCESSING');
select results_eq($$select name from notify_internal.claim_notifications(array(select id from notify.ent_notification where enterprise_id = tests.enterprise_a())) order by name$$, $$values ('due'), ('processing')$$, 'the claim returns the due published row and the one already PROCESSING');
select results_eq($$select name, notification_status::text from notify.ent_notification where enterprise_id = tests.enterprise_a() order by name$$, $$values ('deactivated', 'PENDING'), ('draft', 'PENDING'), ('due', 'PROCESSING'), ('future', 'PENDING'), ('processing', 'PROCESSING'), ('sent', 'SENT')$$, 'only the due published row moved');
select is_empty($$select * from notify_internal.claim_notifications(array(select id from notify.ent_notification where name = 'sent'))$$, 'a SENT row is not returned');

select * from finish();
rollback;
