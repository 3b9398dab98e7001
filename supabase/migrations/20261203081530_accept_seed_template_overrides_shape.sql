-- template_overrides in both shapes the platform writes: XNovu's
-- {"EMAIL": "<template_key or id>", ...} and seed 03's
-- {"emailTemplateId": 123, "inAppTemplateId": 124, ...}. The seed's shape used
-- to save fine and then fail every send ("no template_overrides entry for
-- channel EMAIL"). Rows keep what the platform wrote; everything that reads
-- them (the dispatcher, the bridge, validation on save) reads them through
-- notify_internal.template_overrides_by_channel.

create function notify_internal.template_override_channel(p_key text)
returns shared_types.notification_channel_type
language sql
immutable
security invoker
set search_path = ''
as $$
  select case p_key
    when 'EMAIL' then 'EMAIL'
    when 'emailTemplateId' then 'EMAIL'
    when 'IN_APP' then 'IN_APP'
    when 'inAppTemplateId' then 'IN_APP'
    when 'SMS' then 'SMS'
    when 'smsTemplateId' then 'SMS'
    when 'PUSH' then 'PUSH'
    when 'pushTemplateId' then 'PUSH'
    when 'CHAT' then 'CHAT'
    when 'chatTemplateId' then 'CHAT'
  end::shared_types.notification_channel_type
$$;
comment on function notify_internal.template_override_channel(text) is 'The channel a template_overrides key stands for: a channel name (EMAIL, IN_APP, SMS, PUSH, CHAT) or seed 03''s emailTemplateId, inAppTemplateId, smsTemplateId, pushTemplateId, chatTemplateId; null for any other key.';
revoke execute on function notify_internal.template_override_channel(text) from public;
grant execute on function notify_internal.template_override_channel(text) to authenticated, service_role;

create function notify_internal.template_overrides_by_channel(p_overrides jsonb)
returns jsonb
language sql
immutable
security invoker
set search_path = ''
as $$
  -- A channel named both ways keeps the channel-name entry (validation on
  -- save refuses such rows; this only makes old ones deterministic).
  select case when pg_catalog.jsonb_typeof(p_overrides) = 'object' then
    coalesce((
      select pg_catalog.jsonb_object_agg(o.channel, o.value order by o.by_channel_name, o.channel)
        from (
          select notify_internal.template_override_channel(e.key)::text as channel, e.value,
                 e.key = notify_internal.template_override_channel(e.key)::text as by_channel_name
            from pg_catalog.jsonb_each(p_overrides) as e
        ) as o
       where o.channel is not null
    ), '{}'::jsonb)
  end
$$;
comment on function notify_internal.template_overrides_by_channel(jsonb) is 'A workflow''s template_overrides as {"<CHANNEL>": <template key or id>}, whichever shape it was written in (see notify_internal.template_override_channel); keys that name no channel are left out; null unless the input is a JSON object.';
revoke execute on function notify_internal.template_overrides_by_channel(jsonb) from public;
grant execute on function notify_internal.template_overrides_by_channel(jsonb) to authenticated, service_role;
