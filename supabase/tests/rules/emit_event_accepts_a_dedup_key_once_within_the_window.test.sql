begin;
select plan(4);

select notify.emit_event(tests.enterprise_a(), 'door.forced_open', '{"n": 1}', 'door-7-2027-01-01') as first_id \gset
select notify.emit_event(tests.enterprise_a(), 'door.forced_open', '{"n": 2}', 'door-7-2027-01-01') as second_id \gset

select is(:second_id::bigint, :first_id::bigint, 'a repeated dedup_key answers the first event''s id');
select results_eq($$select count(*)::int from notify.rule_event where dedup_key = 'door-7-2027-01-01'$$,
  $$values (1)$$, 'and records it once');
select isnt(notify.emit_event(tests.enterprise_b(), 'door.forced_open', '{}', 'door-7-2027-01-01'), :first_id::bigint,
  'the same key in another enterprise is another event');

update notify.rule_event set emitted_at = now() - interval '2 days' where id = :first_id;
select isnt(notify.emit_event(tests.enterprise_a(), 'door.forced_open', '{}', 'door-7-2027-01-01'), :first_id::bigint,
  'after the dedup window the key is new again');

select * from finish();
rollback;
