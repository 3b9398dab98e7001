-- Local stand-in for pg_net 0.20, installed only where pg_available_extensions has no
-- pg_net. Same SQL interface (function names, parameter names and defaults, the unlogged
-- request queue and response tables with pg_net's columns); the HTTP work is done by
-- local/pg_net/worker.ts instead of pg_net's background worker. Idempotent.

create schema if not exists net;
comment on schema net is 'Local stand-in for the pg_net extension (see local/pg_net).';

do $$
begin
  if to_regtype('net.http_method') is null then
    create domain net.http_method as text
      constraint http_method_is_get_post_or_delete
      check (value ilike 'get' or value ilike 'post' or value ilike 'delete');
  end if;
end
$$;

create unlogged table if not exists net.http_request_queue (
  id bigserial,
  method net.http_method not null,
  url text not null,
  headers jsonb,
  body bytea,
  timeout_milliseconds integer not null
);
comment on table net.http_request_queue is
  'Requests waiting for the worker; rows become visible to it when the enqueuing transaction commits.';

create unlogged table if not exists net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz not null default now()
);
comment on table net._http_response is 'One row per request the worker finished (or gave up on).';
create index if not exists _http_response_created_idx on net._http_response (created);

-- Wakes the worker. NOTIFY is delivered only on commit, so a rolled-back
-- transaction never wakes it and its queued rows vanish with it.
create or replace function net.wake() returns void
language sql
set search_path = ''
as $$
  select pg_catalog.pg_notify('pg_net_stand_in_wake', '');
$$;
comment on function net.wake() is 'Signals the stand-in worker that requests are queued (delivered at commit).';

create or replace function net._urlencode_string(string text) returns text
language plpgsql immutable strict
set search_path = ''
as $$
declare
  encoded text := '';
  byte integer;
  bytes bytea := pg_catalog.convert_to(string, 'UTF8');
begin
  for i in 0 .. pg_catalog.length(bytes) - 1 loop
    byte := pg_catalog.get_byte(bytes, i);
    if (byte between 48 and 57) or (byte between 65 and 90) or (byte between 97 and 122)
      or byte in (45, 46, 95, 126) then
      encoded := encoded || pg_catalog.chr(byte);
    else
      encoded := encoded || '%' || pg_catalog.upper(pg_catalog.lpad(pg_catalog.to_hex(byte), 2, '0'));
    end if;
  end loop;
  return encoded;
end
$$;
comment on function net._urlencode_string(text) is 'Percent-encodes a string for a query component.';

create or replace function net._encode_url_with_params(url text, params jsonb) returns text
language sql immutable
set search_path = ''
as $$
  select case
    when params is null or params = '{}'::jsonb then url
    else url || case when pg_catalog.strpos(url, '?') > 0 then '&' else '?' end || (
      select pg_catalog.string_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value), '&')
      from pg_catalog.jsonb_each_text(params)
    )
  end
$$;
comment on function net._encode_url_with_params(text, jsonb) is 'Appends url-encoded params to a url.';

create or replace function net.http_get(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000
) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  request_id bigint;
begin
  insert into net.http_request_queue (method, url, headers, timeout_milliseconds)
  values ('GET', net._encode_url_with_params(url, params), headers, timeout_milliseconds)
  returning id into request_id;
  perform net.wake();
  return request_id;
end
$$;
comment on function net.http_get(text, jsonb, jsonb, integer) is
  'Queues an HTTP GET sent after commit; returns the request id (pg_net 0.20 interface).';

create or replace function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000
) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  request_id bigint;
  content_type text;
begin
  select header_value into content_type
  from pg_catalog.jsonb_each_text(coalesce(headers, '{}'::jsonb)) as h(header_name, header_value)
  where pg_catalog.lower(header_name) = 'content-type'
  limit 1;

  if content_type is null then
    headers := coalesce(headers, '{}'::jsonb) || '{"Content-Type": "application/json"}'::jsonb;
  elsif content_type <> 'application/json' then
    raise exception 'Content-Type header must be "application/json"';
  end if;

  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values (
    'POST', net._encode_url_with_params(url, params), headers,
    pg_catalog.convert_to(body::text, 'UTF8'), timeout_milliseconds
  )
  returning id into request_id;
  perform net.wake();
  return request_id;
end
$$;
comment on function net.http_post(text, jsonb, jsonb, jsonb, integer) is
  'Queues an HTTP POST with a JSON body sent after commit; returns the request id (pg_net 0.20 interface).';

create or replace function net.http_delete(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000,
  body jsonb default null
) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  request_id bigint;
begin
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values (
    'DELETE', net._encode_url_with_params(url, params), headers,
    pg_catalog.convert_to(body::text, 'UTF8'), timeout_milliseconds
  )
  returning id into request_id;
  perform net.wake();
  return request_id;
end
$$;
comment on function net.http_delete(text, jsonb, jsonb, integer, jsonb) is
  'Queues an HTTP DELETE sent after commit; returns the request id (pg_net 0.20 interface).';

-- Hosted Supabase grants pg_net to the API roles the same way.
grant usage on schema net to postgres, anon, authenticated, service_role;
grant all on all tables in schema net to postgres, service_role;
grant all on all sequences in schema net to postgres, service_role;
revoke all on function net.http_get(text, jsonb, jsonb, integer),
  net.http_post(text, jsonb, jsonb, jsonb, integer),
  net.http_delete(text, jsonb, jsonb, integer, jsonb) from public;
grant execute on function net.http_get(text, jsonb, jsonb, integer),
  net.http_post(text, jsonb, jsonb, jsonb, integer),
  net.http_delete(text, jsonb, jsonb, integer, jsonb) to postgres, service_role;
