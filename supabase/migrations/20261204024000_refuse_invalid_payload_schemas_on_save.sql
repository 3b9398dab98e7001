-- A DYNAMIC workflow's payload_schema that is not a valid JSON Schema was
-- accepted and failed every notification at send (schema_invalid). It is now
-- refused on save: notify_internal.json_schema_problem checks it against the
-- keyword rules of the JSON Schema draft-07 meta-schema, the dialect the
-- dispatcher's ajv compiles (https://json-schema.org/draft-07/schema), through
-- every subschema. The root keeps its own rule: a payload is a JSON object, so
-- the root "type", if given, is "object".
--
-- The database has no JSON Schema validator (hosted Supabase offers
-- pg_jsonschema; the local database does not), so the rules are written here
-- once and proven against ajv by one corpus both run:
-- shared/workflows/payload_schema_cases.json (Deno: payload_schema_cases_test.ts,
-- pgTAP: workflows/payload_schemas_agree_with_ajv_on_the_corpus.test.sql).
--
-- Regular expressions (pattern, patternProperties keys) are checked with
-- PostgreSQL's engine. The dispatcher runs them on RE2, which has no
-- backreferences and no lookaround: a pattern using those passes here and is
-- still refused at send (schema_invalid); named groups "(?<name>...)", which
-- PostgreSQL lacks, are refused here though RE2 and JavaScript accept them.

create function notify_internal.is_unique_string_array(p_value jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.jsonb_typeof(p_value) = 'array'
    and not exists (select from pg_catalog.jsonb_array_elements(p_value) as e (item) where pg_catalog.jsonb_typeof(e.item) <> 'string')
    and (select count(*) = count(distinct e.item) from pg_catalog.jsonb_array_elements(p_value) as e (item))
$$;
comment on function notify_internal.is_unique_string_array(jsonb) is 'True when the value is a JSON array of distinct strings (the draft-07 meta-schema''s stringArray: "required", a "dependencies" entry, a "type" list).';
-- Called by the workflow save trigger, which runs as the saving role.
revoke execute on function notify_internal.is_unique_string_array(jsonb) from public;
grant execute on function notify_internal.is_unique_string_array(jsonb) to authenticated, service_role;

create function notify_internal.regular_expression_problem(p_pattern text) returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  perform '' ~ p_pattern;
  return null;
exception when invalid_regular_expression then
  return pg_catalog.format('is not a valid regular expression (%s)', sqlerrm);
end
$$;
comment on function notify_internal.regular_expression_problem(text) is 'Null when PostgreSQL compiles the regular expression, else why not (for payload_schema''s pattern and patternProperties).';
-- Called by the workflow save trigger, which runs as the saving role.
revoke execute on function notify_internal.regular_expression_problem(text) from public;
grant execute on function notify_internal.regular_expression_problem(text) to authenticated, service_role;

create function notify_internal.json_schema_problem(p_schema jsonb, p_path text default 'payload_schema', p_root jsonb default null)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_root constant jsonb := coalesce(p_root, p_schema);
  v_simple_types constant text[] := array['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];
  v_keyword record;
  v_member record;
  v_problem text;
begin
  if pg_catalog.jsonb_typeof(p_schema) = 'boolean' then
    return null;
  elsif pg_catalog.jsonb_typeof(p_schema) is distinct from 'object' then
    return pg_catalog.format('%s must be a schema (an object or a boolean), not %s', p_path, coalesce(p_schema::text, 'null'));
  end if;

  for v_keyword in select e.key, e.value, pg_catalog.jsonb_typeof(e.value) as type
                     from pg_catalog.jsonb_each(p_schema) as e order by e.key loop
    -- The keyword's own value (draft-07 meta-schema, "properties"); keywords it
    -- does not name are allowed and ignored, as the meta-schema allows them.
    v_problem := case
      when v_keyword.key in ('$id', '$schema', '$comment', 'title', 'description', 'format', 'contentMediaType', 'contentEncoding')
        and v_keyword.type <> 'string'
        then 'must be a string'
      when v_keyword.key = '$ref' and (v_keyword.type <> 'string' or not (v_keyword.value #>> '{}') ~ '^#(/|$)')
        then 'must point inside the schema ("#" or "#/definitions/..."): nothing is fetched'
      when v_keyword.key = '$ref' and v_root #> pg_catalog.string_to_array(
          pg_catalog.replace(pg_catalog.replace(pg_catalog.substr(v_keyword.value #>> '{}', 3), '~1', '/'), '~0', '~'), '/') is null
        then 'points at nothing in the schema'
      when v_keyword.key in ('readOnly', 'writeOnly', 'uniqueItems') and v_keyword.type <> 'boolean'
        then 'must be a boolean'
      when v_keyword.key in ('maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum') and v_keyword.type <> 'number'
        then 'must be a number'
      when v_keyword.key = 'multipleOf' and (v_keyword.type <> 'number' or (v_keyword.value #>> '{}')::numeric <= 0)
        then 'must be a number greater than 0'
      when v_keyword.key in ('maxLength', 'minLength', 'maxItems', 'minItems', 'maxProperties', 'minProperties')
        and (v_keyword.type <> 'number' or (v_keyword.value #>> '{}')::numeric < 0
             or (v_keyword.value #>> '{}')::numeric <> pg_catalog.trunc((v_keyword.value #>> '{}')::numeric))
        then 'must be a non-negative integer'
      when v_keyword.key in ('enum', 'examples') and v_keyword.type <> 'array'
        then 'must be an array'
      when v_keyword.key = 'required' and not notify_internal.is_unique_string_array(v_keyword.value)
        then 'must be an array of distinct property names'
      when v_keyword.key = 'type' and not (
          (v_keyword.type = 'string' and (v_keyword.value #>> '{}') = any (v_simple_types))
          or (v_keyword.type = 'array' and pg_catalog.jsonb_array_length(v_keyword.value) > 0
              and notify_internal.is_unique_string_array(v_keyword.value)
              and (select pg_catalog.bool_and(t.name = any (v_simple_types)) from pg_catalog.jsonb_array_elements_text(v_keyword.value) as t (name))))
        then 'must be one of array, boolean, integer, null, number, object, string, or a non-empty list of distinct ones'
      when v_keyword.key = 'pattern' and v_keyword.type <> 'string'
        then 'must be a string (a regular expression)'
      when v_keyword.key = 'pattern'
        then notify_internal.regular_expression_problem(v_keyword.value #>> '{}')
      when v_keyword.key in ('properties', 'patternProperties', 'definitions', 'dependencies') and v_keyword.type <> 'object'
        then 'must be an object'
      when v_keyword.key in ('allOf', 'anyOf', 'oneOf') and (v_keyword.type <> 'array' or pg_catalog.jsonb_array_length(v_keyword.value) = 0)
        then 'must be a non-empty array of schemas'
      when v_keyword.key = 'items' and v_keyword.type = 'array' and pg_catalog.jsonb_array_length(v_keyword.value) = 0
        then 'must be a schema or a non-empty array of schemas'
    end;
    if v_problem is not null then
      return pg_catalog.format('%s.%s %s, not %s', p_path, v_keyword.key, v_problem, v_keyword.value);
    end if;

    -- Its subschemas, each named by its path.
    if v_keyword.key in ('additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'if', 'then', 'else', 'not')
      or (v_keyword.key = 'items' and v_keyword.type <> 'array')
    then
      v_problem := notify_internal.json_schema_problem(v_keyword.value, p_path || '.' || v_keyword.key, v_root);
    elsif v_keyword.key in ('allOf', 'anyOf', 'oneOf', 'items') then
      for v_member in select s.value, s.ordinality - 1 as position
                        from pg_catalog.jsonb_array_elements(v_keyword.value) with ordinality as s loop
        v_problem := notify_internal.json_schema_problem(v_member.value,
          pg_catalog.format('%s.%s[%s]', p_path, v_keyword.key, v_member.position), v_root);
        exit when v_problem is not null;
      end loop;
    elsif v_keyword.key in ('properties', 'patternProperties', 'definitions', 'dependencies') then
      for v_member in select m.key, m.value from pg_catalog.jsonb_each(v_keyword.value) as m order by m.key loop
        if v_keyword.key = 'patternProperties' and notify_internal.regular_expression_problem(v_member.key) is not null then
          v_problem := pg_catalog.format('%s.patternProperties key %s %s', p_path, pg_catalog.to_jsonb(v_member.key),
            notify_internal.regular_expression_problem(v_member.key));
        elsif v_keyword.key = 'dependencies' and pg_catalog.jsonb_typeof(v_member.value) = 'array' then
          if not notify_internal.is_unique_string_array(v_member.value) then
            v_problem := pg_catalog.format('%s.dependencies.%s must be a schema or an array of distinct property names, not %s',
              p_path, v_member.key, v_member.value);
          end if;
        else
          v_problem := notify_internal.json_schema_problem(v_member.value, p_path || '.' || v_keyword.key || '.' || v_member.key, v_root);
        end if;
        exit when v_problem is not null;
      end loop;
    end if;
    if v_problem is not null then
      return v_problem;
    end if;
  end loop;
  return null;
end
$$;
comment on function notify_internal.json_schema_problem(jsonb, text, jsonb) is 'Null when p_schema is a valid JSON Schema (draft-07 meta-schema keyword rules, recursively; "$ref" only inside the schema, resolving), else the first problem found, named by its path from p_path, e.g. payload_schema.properties.code.minLength must be a non-negative integer, not -1. p_root: the schema "$ref" pointers resolve in (default p_schema).';
-- Called by the workflow save trigger, which runs as the saving role.
revoke execute on function notify_internal.json_schema_problem(jsonb, text, jsonb) from public;
grant execute on function notify_internal.json_schema_problem(jsonb, text, jsonb) to authenticated, service_role;

-- The workflow save trigger uses it in place of its three root-shape checks
-- ("properties" an object, "required" an array of strings are now two of the
-- meta-schema's rules, at every level). Redefines
-- notify_internal.validate_workflow_on_save from
-- 20261203081532_validate_workflows_on_save.sql; the rest is unchanged.

create or replace function notify_internal.validate_workflow_on_save() returns trigger
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
  v_schema_problem text;
  v_shape_hint constant text := 'template_overrides maps a channel to a template key or id: {"EMAIL": "<template_key or id>", "SMS": ...} (EMAIL, IN_APP, SMS, PUSH, CHAT), or seed 03''s {"emailTemplateId": <id>, "inAppTemplateId": <id>, ...} (emailTemplateId, inAppTemplateId, smsTemplateId, pushTemplateId, chatTemplateId)';
begin
  -- That payload_schema is a JSON object at all is the check constraint
  -- ent_notification_workflow_payload_schema_is_a_json_object.
  if pg_catalog.jsonb_typeof(new.payload_schema) = 'object' then
    if new.payload_schema ? 'type' and new.payload_schema -> 'type' <> '"object"'::jsonb then
      raise exception '%', format('%s: payload_schema "type" must be "object" (a payload is a JSON object), not %s', v_label, new.payload_schema -> 'type')
        using errcode = 'check_violation';
    end if;
    v_schema_problem := notify_internal.json_schema_problem(new.payload_schema);
    if v_schema_problem is not null then
      raise exception '%', format('%s: %s', v_label, v_schema_problem)
        using errcode = 'check_violation',
          hint = 'payload_schema is a JSON Schema (draft-07, https://json-schema.org/draft-07/schema) describing the payload object';
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
comment on function notify_internal.validate_workflow_on_save() is 'Trigger: refuses a workflow the dispatcher could not send. payload_schema: "type" (if given) "object", and a valid JSON Schema (notify_internal.json_schema_problem: draft-07 keyword rules through every subschema, the message naming the path) (23514). DYNAMIC template_overrides: a JSON object whose keys are channels (EMAIL, IN_APP, SMS, PUSH, CHAT, or seed 03''s emailTemplateId, inAppTemplateId, ...), each channel once, each value a template key or positive integer id (23514), naming a template of the workflow''s enterprise or a shared one (23503; published and active if the workflow is) of the entry''s channel (23514). Messages start with workflow "<workflow_key>".';
