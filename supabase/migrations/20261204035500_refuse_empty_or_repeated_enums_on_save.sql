-- "enum" follows the meta-schema the dispatcher's ajv actually validates
-- against, not the published draft-07 text: ajv's bundled copy
-- (ajv/dist/refs/json-schema-draft-07.json, ajv 8.20.0) gives "enum"
-- "minItems": 1 and "uniqueItems": true, where
-- https://json-schema.org/draft-07/schema has only "type": "array". An empty
-- enum or one listing a value twice was saved by
-- 20261204024000_refuse_invalid_payload_schemas_on_save.sql and then failed
-- every notification at send (schema_invalid). Redefines
-- notify_internal.json_schema_problem from that migration; only the "enum" rule
-- changes. Values are distinct as jsonb values (1 and 1.0 are one value, key
-- order does not matter), as ajv's deep equality has them.

create or replace function notify_internal.json_schema_problem(p_schema jsonb, p_path text default 'payload_schema', p_root jsonb default null)
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
      when v_keyword.key = 'examples' and v_keyword.type <> 'array'
        then 'must be an array'
      when v_keyword.key = 'enum' and (v_keyword.type <> 'array' or pg_catalog.jsonb_array_length(v_keyword.value) = 0
             or (select count(*) <> count(distinct e.item) from pg_catalog.jsonb_array_elements(v_keyword.value) as e (item)))
        then 'must be a non-empty array of distinct values'
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
