-- pg_cron drives the dispatcher sweep and scheduled rules; pgmq holds the
-- dispatch and cancellation queues. Hosted Supabase ships both as extensions;
-- the local platform installs pgmq with its SQL-only installer before the
-- migrations run, so pgmq is created as an extension only when its functions are
-- missing.

do $$
begin
  if not exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    if exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron') then
      create extension pg_cron with schema pg_catalog;
    else
      raise exception 'pg_cron is neither installed nor available in this database';
    end if;
  end if;

  if to_regprocedure('pgmq.send_batch(text,jsonb[],integer)') is null then
    if exists (select 1 from pg_catalog.pg_available_extensions where name = 'pgmq') then
      create extension if not exists pgmq;
    else
      raise exception 'pgmq is neither installed nor available in this database';
    end if;
  end if;
end
$$;

select pgmq.create(queue_name => 'notification_dispatch');
select pgmq.create(queue_name => 'notification_cancellation');
