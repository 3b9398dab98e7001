-- A rule's trigger_config and rule_payload are refused at save when they are
-- not one of the documented shapes (README "Rules"), with a message naming the
-- field, so a mistake shows up in the writer's insert, not as a silent rule
-- that never fires. The rules engine (shared/rules/) then evaluates the saved
-- shapes with croner and json-logic-js.

create function notify_internal.is_event_name(p_name text) returns boolean
language sql
immutable
security invoker
-- No `set search_path`: used in a check constraint of notify.rule_event, where
-- inlining keeps bulk inserts cheap; it names no database object.
as $$
  select p_name ~ '^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,199}$'
$$;
comment on function notify_internal.is_event_name(text) is 'Event names (EVENT rules, notify.emit_event): 1 to 200 letters, digits, _ . : - not starting with a separator, such as door.forced_open.';
revoke execute on function notify_internal.is_event_name(text) from public;
grant execute on function notify_internal.is_event_name(text) to service_role;

create function notify_internal.cron_expression_error(p_expression text) returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
declare
  -- Five fields (minute hour day-of-month month day-of-week), or six with a
  -- leading seconds field: the grammar croner evaluates (legacy/Vixie mode).
  v_fields text[] := regexp_split_to_array(btrim(coalesce(p_expression, '')), '\s+');
  v_names text[] := array['second', 'minute', 'hour', 'day-of-month', 'month', 'day-of-week'];
  v_low int[] := array[0, 0, 0, 1, 1, 0];
  v_high int[] := array[59, 59, 23, 31, 12, 7];
  v_offset int;
  v_item text;
  v_parts text[];
  v_bound text;
  v_value int;
  v_values int[];
begin
  if array_length(v_fields, 1) not in (5, 6) then
    return format('"%s" has %s fields; expected 5 (minute hour day-of-month month day-of-week) or 6 (with leading seconds)',
      p_expression, coalesce(array_length(v_fields, 1), 0));
  end if;
  v_offset := case when array_length(v_fields, 1) = 5 then 1 else 0 end;
  for i in 1 .. array_length(v_fields, 1) loop
    foreach v_item in array string_to_array(lower(v_fields[i]), ',') loop
      v_parts := regexp_match(v_item, '^(\*|[0-9a-z]+(?:-[0-9a-z]+)?)(?:/([0-9]+))?$');
      if v_parts is null then
        return format('"%s": %s field item "%s" is not *, a value, a range a-b, or one of those with /step',
          p_expression, v_names[i + v_offset], v_item);
      end if;
      if v_parts[2] is not null and v_parts[2]::int < 1 then
        return format('"%s": %s field step must be at least 1', p_expression, v_names[i + v_offset]);
      end if;
      v_values := '{}';
      if v_parts[1] <> '*' then
        foreach v_bound in array string_to_array(v_parts[1], '-') loop
          v_value := case
            when v_bound ~ '^[0-9]+$' then v_bound::int
            when i + v_offset = 5 then array_position(
              array['jan','feb','mar','apr','may','jun','jul','aug','sep','oct','nov','dec'], v_bound)
            when i + v_offset = 6 then array_position(
              array['sun','mon','tue','wed','thu','fri','sat'], v_bound) - 1
          end;
          if v_value is null or v_value < v_low[i + v_offset] or v_value > v_high[i + v_offset] then
            return format('"%s": %s field value "%s" is outside %s-%s', p_expression,
              v_names[i + v_offset], v_bound, v_low[i + v_offset], v_high[i + v_offset]);
          end if;
          v_values := v_values || v_value;
        end loop;
        if array_length(v_values, 1) = 2 and v_values[1] > v_values[2] then
          return format('"%s": %s field range "%s" runs backwards', p_expression, v_names[i + v_offset], v_parts[1]);
        end if;
      end if;
    end loop;
  end loop;
  return null;
end
$$;
comment on function notify_internal.cron_expression_error(text) is 'Save-time guard for CRON rules: null when the expression has the grammar croner evaluates (5 fields, or 6 with seconds; *, values, names, ranges, lists, /steps, within each field''s range), else a message naming the field. Evaluation itself is croner''s (shared/rules/schedule.ts).';
revoke execute on function notify_internal.cron_expression_error(text) from public;

create function notify_internal.time_zone_error(p_zone text) returns text
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  -- IANA names only (Area/Location, or UTC): PostgreSQL would also take POSIX
  -- specs such as 'XYZ+3', which the engine's Intl time zones do not. The
  -- cast is the cheap existence check (pg_timezone_names reads every zone file).
  if p_zone !~ '^[A-Za-z][A-Za-z_]*(/[A-Za-z0-9_+-]+)*$' then
    return format('"%s" is not an IANA time zone name such as Europe/Berlin', p_zone);
  end if;
  perform now() at time zone p_zone;
  return null;
exception when invalid_parameter_value then
  return format('unknown time zone "%s"', p_zone);
end
$$;
comment on function notify_internal.time_zone_error(text) is 'Null when p_zone is a known IANA time zone name, else why not.';
revoke execute on function notify_internal.time_zone_error(text) from public;

create function notify_internal.local_datetime_error(p_value jsonb) returns text
language plpgsql
immutable
security invoker
set search_path = ''
as $$
begin
  -- ISO 8601 date and time; without an offset it is a wall time in the rule's zone
  -- (to the second), with one an instant (milliseconds allowed, as toISOString writes them).
  if jsonb_typeof(p_value) <> 'string' or p_value #>> '{}' !~
      '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}((\.\d{1,3})?(Z|[+-]\d{2}:\d{2}))?|(Z|[+-]\d{2}:\d{2}))?$' then
    return format('%s is not an ISO 8601 date-time such as "2027-03-28T02:30:00"', p_value);
  end if;
  perform (p_value #>> '{}')::timestamp;
  return null;
exception when datetime_field_overflow or invalid_datetime_format then
  return format('%s is not a valid date-time', p_value);
end
$$;
comment on function notify_internal.local_datetime_error(jsonb) is 'Null when p_value is an ISO 8601 date-time string (optional seconds; an offset, with optional milliseconds), else why not.';
revoke execute on function notify_internal.local_datetime_error(jsonb) from public;

create function notify_internal.rule_shape_error(
  p_trigger_type text,
  p_trigger_config jsonb,
  p_rule_payload jsonb,
  p_enterprise_id uuid,
  p_active boolean
) returns text
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_error text;
  v_key text;
  v_at jsonb;
  v_recipients jsonb := p_rule_payload -> 'recipients';
  v_item jsonb;
begin
  -- A draft or deactivated rule may still be incomplete; what it holds must be well formed.
  if p_active and (p_trigger_type is null or p_trigger_config is null or p_rule_payload is null) then
    return format('%s: required for a published, active rule',
      case when p_trigger_type is null then 'trigger_type'
           when p_trigger_config is null then 'trigger_config' else 'rule_payload' end);
  end if;

  if p_trigger_config is not null then
    if jsonb_typeof(p_trigger_config) <> 'object' then
      return 'trigger_config: must be a JSON object';
    end if;
    if p_trigger_type is null then
      return 'trigger_type: required when trigger_config is set';
    end if;
    select k into v_key from jsonb_object_keys(p_trigger_config) k
    where k <> all (case p_trigger_type
      when 'CRON' then array['cron', 'timezone', 'start_at', 'end_at']
      when 'SCHEDULE' then array['at', 'timezone']
      else array['event', 'conditions'] end)
    limit 1;
    if v_key is not null then
      return format('trigger_config.%s: unknown key for a %s rule', v_key, p_trigger_type);
    end if;
    if p_trigger_config ? 'timezone' then
      if jsonb_typeof(p_trigger_config -> 'timezone') <> 'string' then
        return 'trigger_config.timezone: must be a string such as "Europe/Berlin"';
      end if;
      v_error := notify_internal.time_zone_error(p_trigger_config ->> 'timezone');
      if v_error is not null then return 'trigger_config.timezone: ' || v_error; end if;
    end if;

    case p_trigger_type
      when 'CRON' then
        if jsonb_typeof(p_trigger_config -> 'cron') is distinct from 'string' then
          return 'trigger_config.cron: required, a cron expression such as "0 9 * * 1"';
        end if;
        v_error := notify_internal.cron_expression_error(p_trigger_config ->> 'cron');
        if v_error is not null then return 'trigger_config.cron: ' || v_error; end if;
        foreach v_key in array array['start_at', 'end_at'] loop
          if p_trigger_config ? v_key then
            v_error := notify_internal.local_datetime_error(p_trigger_config -> v_key);
            if v_error is not null then return format('trigger_config.%s: %s', v_key, v_error); end if;
          end if;
        end loop;
      when 'SCHEDULE' then
        v_at := p_trigger_config -> 'at';
        if v_at is null then
          return 'trigger_config.at: required, a date-time or a list of them';
        end if;
        if jsonb_typeof(v_at) = 'array' then
          if jsonb_array_length(v_at) not between 1 and 1000 then
            return 'trigger_config.at: a list of 1 to 1000 date-times';
          end if;
        else
          v_at := jsonb_build_array(v_at);
        end if;
        for i in 0 .. jsonb_array_length(v_at) - 1 loop
          v_error := notify_internal.local_datetime_error(v_at -> i);
          if v_error is not null then
            return format('trigger_config.at%s: %s',
              case when jsonb_typeof(p_trigger_config -> 'at') = 'array' then format('[%s]', i) else '' end, v_error);
          end if;
        end loop;
      when 'EVENT' then
        if jsonb_typeof(p_trigger_config -> 'event') is distinct from 'string'
            or not notify_internal.is_event_name(p_trigger_config ->> 'event') then
          return 'trigger_config.event: required, an event name of letters, digits, _ . : - such as "door.forced_open"';
        end if;
        if p_trigger_config ? 'conditions' and jsonb_typeof(p_trigger_config -> 'conditions') not in ('object', 'boolean') then
          return 'trigger_config.conditions: must be a JSON Logic rule (an object such as {"==": [{"var": "event.payload.floor"}, 3]})';
        end if;
      else
        return format('trigger_type: %s is not CRON, SCHEDULE or EVENT', p_trigger_type);
    end case;
  end if;

  if p_rule_payload is not null then
    if jsonb_typeof(p_rule_payload) <> 'object' then
      return 'rule_payload: must be a JSON object';
    end if;
    select k into v_key from jsonb_object_keys(p_rule_payload) k
    where k <> all (array['payload', 'recipients', 'channels', 'overrides', 'priority', 'tags'])
    limit 1;
    if v_key is not null then
      return format('rule_payload.%s: unknown key (expected payload, recipients, channels, overrides, priority, tags)', v_key);
    end if;
    if jsonb_typeof(p_rule_payload -> 'payload') is distinct from 'object' then
      return 'rule_payload.payload: required, the notification payload object';
    end if;
    case jsonb_typeof(v_recipients)
      when 'array' then
        if jsonb_array_length(v_recipients) not between 1 and 10000 then
          return 'rule_payload.recipients: a list of 1 to 10000 subscriber uuids';
        end if;
        for v_item in select value from jsonb_array_elements(v_recipients) loop
          if jsonb_typeof(v_item) <> 'string' or (v_item #>> '{}') !~*
              '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
            return format('rule_payload.recipients: %s is not a uuid', v_item);
          end if;
        end loop;
      when 'object' then
        if (select count(*) from jsonb_object_keys(v_recipients)) <> 1
            or not (v_recipients ? 'audience' or v_recipients ? 'event_path') then
          return 'rule_payload.recipients: an object must be {"audience": "<function>"} or {"event_path": "payload.<field>"}';
        end if;
        if v_recipients ? 'event_path' and (p_trigger_type is distinct from 'EVENT'
            or (v_recipients ->> 'event_path') !~ '^payload(\.[A-Za-z0-9_]+)+$') then
          return 'rule_payload.recipients.event_path: only for EVENT rules, a path such as "payload.residentIds"';
        end if;
        if v_recipients ? 'audience' and to_regprocedure(format('notify_audience.%I(uuid, jsonb)',
            v_recipients ->> 'audience')) is null then
          return format('rule_payload.recipients.audience: no audience function notify_audience.%s(uuid, jsonb)',
            v_recipients ->> 'audience');
        end if;
      else
        return 'rule_payload.recipients: required, a list of subscriber uuids, {"audience": "<function>"} or {"event_path": "payload.<field>"}';
    end case;
    if p_rule_payload ? 'channels' then
      if jsonb_typeof(p_rule_payload -> 'channels') <> 'array' or jsonb_array_length(p_rule_payload -> 'channels') = 0
          or exists (select 1 from jsonb_array_elements(p_rule_payload -> 'channels') c
                     where not coalesce(c #>> '{}' = any (enum_range(null::shared_types.notification_channel_type)::text[]), false)) then
        return 'rule_payload.channels: a non-empty list of IN_APP, EMAIL, SMS, CHAT, PUSH';
      end if;
    end if;
    if p_rule_payload ? 'overrides' and jsonb_typeof(p_rule_payload -> 'overrides') <> 'object' then
      return 'rule_payload.overrides: must be a JSON object';
    end if;
    if p_rule_payload ? 'tags' and (jsonb_typeof(p_rule_payload -> 'tags') <> 'array'
        or exists (select 1 from jsonb_array_elements(p_rule_payload -> 'tags') t where jsonb_typeof(t) <> 'string')) then
      return 'rule_payload.tags: must be a list of strings';
    end if;
    if p_rule_payload ? 'priority' and not exists (
        select 1 from notify.typ_notification_priority p
        where p.code = p_rule_payload ->> 'priority'
          and (p.enterprise_id is null or p.enterprise_id = p_enterprise_id)) then
      return format('rule_payload.priority: no priority with code %s in this enterprise or shared', p_rule_payload -> 'priority');
    end if;
  end if;
  return null;
end
$$;
comment on function notify_internal.rule_shape_error(text, jsonb, jsonb, uuid, boolean) is 'Null when a rule''s trigger_config and rule_payload have the documented shapes (README "Rules"), else the first problem, prefixed with the field it is in.';
revoke execute on function notify_internal.rule_shape_error(text, jsonb, jsonb, uuid, boolean) from public;

create function notify_internal.refuse_malformed_rules() returns trigger
language plpgsql
-- Definer: the priority lookup must see shared and own-enterprise priorities
-- whatever the writer's RLS shows, like the enterprise reference check.
security definer
set search_path = ''
as $$
declare
  v_error text := notify_internal.rule_shape_error(
    new.trigger_type, new.trigger_config, new.rule_payload, new.enterprise_id,
    new.publish_status = 'PUBLISH' and not new.deactivated);
begin
  if v_error is not null then
    raise exception 'rule "%": %', new.name, v_error
      using errcode = 'check_violation',
        hint = 'see README "Rules" for the shapes of trigger_config and rule_payload';
  end if;
  return new;
end
$$;
comment on function notify_internal.refuse_malformed_rules() is 'Trigger: refuses a rule whose trigger_config or rule_payload is not a documented shape, naming the field.';
revoke execute on function notify_internal.refuse_malformed_rules() from public;

create trigger refuse_malformed_rules
  before insert or update of trigger_type, trigger_config, rule_payload, publish_status, deactivated, enterprise_id
  on notify.ent_notification_rule
  for each row
  execute function notify_internal.refuse_malformed_rules();
