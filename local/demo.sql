-- The demo of ./dev up: publish the seed's draft notifications, as the platform would, so
-- the dispatcher delivers them through the Novu emulator and its page shows them rendered.
update notify.ent_notification
set publish_status = 'PUBLISH'
where publish_status = 'DRAFT'
  and name in ('Elevator B maintenance', 'Welcome to Acme Towers', 'North gate forced open');

-- The rules demo: publish the seed's rules, then emit a door event as a building system would;
-- the EVENT rule turns it into a security alert on the page within seconds.
update notify.ent_notification_rule
set publish_status = 'PUBLISH'
where publish_status = 'DRAFT'
  and name in ('Weekly elevator inspection reminder', 'Door forced open');
select notify.emit_event('22222222-2222-4222-8222-222222222222', 'door.forced_open',
  '{"doorName": "East service door", "expected": false}', 'demo-east-service-door');
