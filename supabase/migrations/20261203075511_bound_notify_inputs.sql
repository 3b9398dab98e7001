-- Bounded inputs (README, "Limits"): one oversized or malformed row must not crash, stall or
-- bloat the functions that read it for every enterprise. Each rule is a named check
-- constraint, so a refused write names the field and the rule and stores nothing. The
-- numbers match what Novu and the functions accept (a rendered email, a payload sent to
-- Novu) with room to spare.
--
-- `not valid`: rows the platform wrote before this migration are left as they are (adding a
-- validated constraint would fail the deploy on one old row); every new insert and update is
-- checked all the same.

-- Nesting depth: the deepest object or array may sit at level 31 below the root object
-- (32 levels in all, what the functions' MAX_JSON_DEPTH allows in a request).
create function notify_internal.jsonb_nesting_within_limit(p_value jsonb) returns boolean
language sql
immutable
parallel safe
security invoker
set search_path = ''
as $$
  select p_value is null
    or not jsonb_path_exists(p_value, 'strict $.**{32 to last} ? (@.type() == "object" || @.type() == "array")')
$$;
comment on function notify_internal.jsonb_nesting_within_limit(jsonb) is 'Whether a JSON value nests objects and arrays at most 32 levels deep (the root is level 1); null passes. Used by the input bounds check constraints.';
revoke execute on function notify_internal.jsonb_nesting_within_limit(jsonb) from public;
grant execute on function notify_internal.jsonb_nesting_within_limit(jsonb) to authenticated, service_role;

alter table notify.ent_notification
  add constraint ent_notification_name_at_most_255_characters
    check (char_length(name) <= 255) not valid,
  add constraint ent_notification_payload_is_a_json_object
    check (jsonb_typeof(payload) = 'object') not valid,
  add constraint ent_notification_payload_at_most_256_kib
    check (octet_length(payload::text) <= 262144) not valid,
  add constraint ent_notification_payload_nested_at_most_32_levels
    check (notify_internal.jsonb_nesting_within_limit(payload)) not valid,
  add constraint ent_notification_overrides_is_a_json_object
    check (overrides is null or jsonb_typeof(overrides) = 'object') not valid,
  add constraint ent_notification_overrides_at_most_64_kib
    check (octet_length(overrides::text) <= 65536) not valid,
  add constraint ent_notification_overrides_nested_at_most_32_levels
    check (notify_internal.jsonb_nesting_within_limit(overrides)) not valid,
  add constraint ent_notification_recipients_at_most_10000
    check (cardinality(recipients) <= 10000) not valid,
  add constraint ent_notification_tags_at_most_100
    check (cardinality(tags) <= 100) not valid;

alter table notify.ent_notification_template
  add constraint ent_notification_template_name_at_most_255_characters
    check (char_length(name) <= 255) not valid,
  add constraint ent_notification_template_key_at_most_255_characters
    check (char_length(template_key) <= 255) not valid,
  add constraint ent_notification_template_body_at_most_100000_characters
    check (char_length(body_template) <= 100000) not valid,
  add constraint ent_notification_template_subject_at_most_1000_characters
    check (char_length(subject_template) <= 1000) not valid,
  add constraint ent_notification_template_variables_description_at_most_64_kib
    check (octet_length(variables_description::text) <= 65536) not valid;

alter table notify.ent_notification_workflow
  add constraint ent_notification_workflow_name_at_most_255_characters
    check (char_length(name) <= 255) not valid,
  add constraint ent_notification_workflow_key_at_most_255_characters
    check (char_length(workflow_key) <= 255) not valid,
  add constraint ent_notification_workflow_payload_schema_is_a_json_object
    check (payload_schema is null or jsonb_typeof(payload_schema) = 'object') not valid,
  add constraint ent_notification_workflow_payload_schema_at_most_64_kib
    check (octet_length(payload_schema::text) <= 65536) not valid,
  add constraint ent_notification_workflow_template_overrides_at_most_64_kib
    check (octet_length(template_overrides::text) <= 65536) not valid;

alter table notify.ent_notification_rule
  add constraint ent_notification_rule_name_at_most_255_characters
    check (char_length(name) <= 255) not valid,
  add constraint ent_notification_rule_payload_at_most_256_kib
    check (octet_length(rule_payload::text) <= 262144) not valid;

alter table notify.typ_notification_category
  add constraint typ_notification_category_name_at_most_255_characters
    check (char_length(name) <= 255) not valid,
  add constraint typ_notification_category_code_at_most_255_characters
    check (char_length(code) <= 255) not valid;

alter table notify.typ_notification_priority
  add constraint typ_notification_priority_name_at_most_255_characters
    check (char_length(name) <= 255) not valid,
  add constraint typ_notification_priority_code_at_most_255_characters
    check (char_length(code) <= 255) not valid;
