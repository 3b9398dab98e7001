-- The demo of ./dev up: publish the seed's draft notifications, as the platform would, so
-- the dispatcher delivers them through the Novu emulator and its page shows them rendered.
update notify.ent_notification
set publish_status = 'PUBLISH'
where publish_status = 'DRAFT'
  and name in ('Elevator B maintenance', 'Welcome to Acme Towers', 'North gate forced open');
