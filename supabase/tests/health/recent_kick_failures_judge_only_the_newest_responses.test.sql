begin;
select plan(3);

delete from net._http_response;
insert into net._http_response (id, status_code, timed_out, error_msg, created) values
  (1, 200, false, null, now() - interval '2 hours'),
  (2, 500, false, null, now() - interval '3 seconds'),
  (3, null, true, null, now() - interval '2 seconds'),
  (4, null, false, 'Couldn''t connect to server', now() - interval '1 second');

select results_eq(
  $$select considered, failed, newest_failure from notify_internal.recent_kick_failures('5 minutes', 3)$$,
  $$values (3, 3, 'Couldn''t connect to server'::text)$$,
  'a 500, a timeout and a connection error within the window all count as failures');

insert into net._http_response (id, status_code, timed_out, error_msg, created)
values (5, 202, false, null, now());
select results_eq(
  $$select considered, failed from notify_internal.recent_kick_failures('5 minutes', 3)$$,
  $$values (3, 2)$$,
  'only the newest responses are considered: a success after failures is among them');
select results_eq(
  $$select considered, failed from notify_internal.recent_kick_failures('1 hour', 10)$$,
  $$values (4, 3)$$,
  'responses older than the window are not considered');

select * from finish();
rollback;
