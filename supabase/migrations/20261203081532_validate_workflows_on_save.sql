-- A workflow the dispatcher could never send is refused when it is saved, as
-- templates already are: a template_overrides entry that is not a channel,
-- names a channel twice, holds no template reference, or names a template
-- that does not resolve in the workflow's enterprise (its own or a shared one;
-- never another enterprise's) or is of another channel; and a payload_schema
-- that cannot describe a payload (a payload is a JSON object). A published,
-- active workflow may only name published, active templates, since only those
-- render; a draft's templates need only exist.
--
-- payload_schema: the database checks its shape ("type", if given, "object";
-- "properties" an object; "required" an array of strings; that it is an object
-- at all is a check constraint). Full JSON
-- Schema meta-validation needs a validator the local database does not have
-- (hosted Supabase offers pg_jsonschema); the dispatcher compiles the schema
-- with ajv and fails a notification whose schema does not compile.

create function notify_internal.validate_workflow_on_save() returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_label text := format('workflow "%s"', new.workflow_key);
  v_published boolean := new.publish_status = 'PUBLISH' and not new.deactivated;
  v_entry record;
  v_reference text;
  v_found_channel shared_types.notification_channel_type;
  v_shape_hint constant text := 'template_overrides maps a channel to a template key or id: {"EMAIL": "<template_key or id>", "SMS": ...} (EMAIL, IN_APP, SMS, PUSH, CHAT), or seed 03''s {"emailTemplateId": <id>, "inAppTemplateId": <id>, ...} (emailTemplateId, inAppTemplateId, smsTemplateId, pushTemplateId, chatTemplateId)';
begin
  -- That payload_schema is a JSON object at all is the check constraint
  -- ent_notification_workflow_payload_schema_is_a_json_object.
  if pg_catalog.jsonb_typeof(new.payload_schema) = 'object' then
    if new.payload_schema ? 'type' and new.payload_schema -> 'type' <> '"object"'::jsonb then
      raise exception '%', format('%s: payload_schema "type" must be "object" (a payload is a JSON object), not %s', v_label, new.payload_schema -> 'type')
        using errcode = 'check_violation';
    elsif new.payload_schema ? 'properties' and pg_catalog.jsonb_typeof(new.payload_schema -> 'properties') <> 'object' then
      raise exception '%', format('%s: payload_schema "properties" must be an object of property schemas, not %s', v_label, new.payload_schema -> 'properties')
        using errcode = 'check_violation';
    elsif new.payload_schema ? 'required' and (pg_catalog.jsonb_typeof(new.payload_schema -> 'required') <> 'array'
      or exists (select from pg_catalog.jsonb_array_elements(new.payload_schema -> 'required') as r (name) where pg_catalog.jsonb_typeof(r.name) <> 'string'))
    then
      raise exception '%', format('%s: payload_schema "required" must be an array of property names, not %s', v_label, new.payload_schema -> 'required')
        using errcode = 'check_violation';
    end if;
  end if;

  if new.workflow_type <> 'DYNAMIC' or new.template_overrides is null then
    return new;
  end if;
  if pg_catalog.jsonb_typeof(new.template_overrides) <> 'object' then
    raise exception '%', format('%s: template_overrides must be a JSON object, not a JSON %s', v_label, pg_catalog.jsonb_typeof(new.template_overrides))
      using errcode = 'check_violation', hint = v_shape_hint;
  end if;

  for v_entry in
    select e.key, e.value, notify_internal.template_override_channel(e.key) as channel
      from pg_catalog.jsonb_each(new.template_overrides) as e
     order by e.key
  loop
    if v_entry.channel is null then
      raise exception '%', format('%s: template_overrides key "%s" names no channel', v_label, v_entry.key)
        using errcode = 'check_violation', hint = v_shape_hint;
    end if;
    if (select count(*) from pg_catalog.jsonb_object_keys(new.template_overrides) as k (key)
         where notify_internal.template_override_channel(k.key) = v_entry.channel) > 1 then
      raise exception '%', format('%s: template_overrides gives channel %s twice (%s)', v_label, v_entry.channel,
          (select string_agg(k.key, ' and ' order by k.key) from pg_catalog.jsonb_object_keys(new.template_overrides) as k (key)
            where notify_internal.template_override_channel(k.key) = v_entry.channel))
        using errcode = 'check_violation', hint = v_shape_hint;
    end if;
    v_reference := case pg_catalog.jsonb_typeof(v_entry.value)
      when 'string' then nullif(pg_catalog.btrim(v_entry.value #>> '{}'), '')
      when 'number' then case when (v_entry.value #>> '{}') ~ '^[1-9][0-9]{0,17}$' then v_entry.value #>> '{}' end
    end;
    if v_reference is null then
      raise exception '%', format('%s: template_overrides %s must be a template key or a positive integer id, not %s', v_label, v_entry.key, v_entry.value)
        using errcode = 'check_violation', hint = v_shape_hint;
    end if;

    -- Resolved as the engine resolves it (digits are an id, anything else a
    -- key), for the channel of the entry first.
    select t.channel_type into v_found_channel
      from notify.ent_notification_template t
     where (case when v_reference ~ '^[0-9]{1,18}$' then t.id = v_reference::bigint else t.template_key = v_reference end)
       and notify_internal.is_usable_by(t.enterprise_id, t.publish_status, t.deactivated, new.enterprise_id,
         p_in_any_status => not v_published)
     order by t.channel_type = v_entry.channel desc, t.enterprise_id nulls last
     limit 1;
    if not found then
      raise exception '%', format('%s: template_overrides %s names "%s", which does not resolve to %s %s',
          v_label, v_entry.key, v_reference,
          case when v_published then 'a published, active template of' else 'a template of' end,
          case when new.enterprise_id is null then 'the shared templates'
            else format('enterprise %s or a shared one', new.enterprise_id) end)
        using errcode = 'foreign_key_violation';
    elsif v_found_channel <> v_entry.channel then
      raise exception '%', format('%s: template_overrides %s names "%s", a %s template, not a %s one',
          v_label, v_entry.key, v_reference, v_found_channel, v_entry.channel)
        using errcode = 'check_violation';
    end if;
  end loop;
  return new;
end
$$;
comment on function notify_internal.validate_workflow_on_save() is 'Trigger: refuses a workflow the dispatcher could not send. payload_schema: "type" (if given) "object", "properties" an object, "required" an array of strings (23514). DYNAMIC template_overrides: a JSON object whose keys are channels (EMAIL, IN_APP, SMS, PUSH, CHAT, or seed 03''s emailTemplateId, inAppTemplateId, ...), each channel once, each value a template key or positive integer id (23514), naming a template of the workflow''s enterprise or a shared one (23503; published and active if the workflow is) of the entry''s channel (23514). Messages start with workflow "<workflow_key>".';
revoke execute on function notify_internal.validate_workflow_on_save() from public, anon;

create trigger validate_workflow_on_save
  before insert or update of template_overrides, payload_schema, workflow_type, enterprise_id,
    publish_status, deactivated
  on notify.ent_notification_workflow
  for each row execute function notify_internal.validate_workflow_on_save();
