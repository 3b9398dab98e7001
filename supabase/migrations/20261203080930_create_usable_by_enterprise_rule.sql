-- One rule, one place: what an enterprise may use of a shared-or-owned row
-- (workflow, template). The template loader, the trigger function, the
-- dispatcher and template validation on save all call
-- notify_internal.is_usable_by instead of repeating the where clause.

create function notify_internal.is_usable_by(
  p_row_enterprise_id uuid,
  p_publish_status shared_types.publish_status,
  p_deactivated boolean,
  p_enterprise_id uuid,
  p_in_any_status boolean default false
) returns boolean
language sql
immutable
security invoker
-- No `set search_path`: a function with a SET clause is never inlined, and
-- callers filter whole tables with it (the planner must see the plain
-- predicate to use indexes). It names no database object, so the search path
-- cannot change its meaning.
as $$
  select (p_row_enterprise_id = p_enterprise_id or p_row_enterprise_id is null)
    and (p_in_any_status or (p_publish_status = 'PUBLISH' and not p_deactivated))
$$;
comment on function notify_internal.is_usable_by(uuid, shared_types.publish_status, boolean, uuid, boolean) is 'Whether a row (workflow, template) of enterprise p_row_enterprise_id (null: shared) is usable by enterprise p_enterprise_id: its own or shared, and published and active unless p_in_any_status (a draft template''s includes need only exist). Never another enterprise''s. Inlinable: call it in where clauses.';
revoke execute on function notify_internal.is_usable_by(uuid, shared_types.publish_status, boolean, uuid, boolean) from public;
grant execute on function notify_internal.is_usable_by(uuid, shared_types.publish_status, boolean, uuid, boolean) to authenticated, service_role;

-- Template validation on save resolves includes with the same rule.
create or replace function notify_internal.validate_template_on_save() returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  c_max_depth constant integer := 10;
  v_label text := coalesce(new.template_key, '#' || new.id);
  v_resolvable boolean := new.publish_status = 'PUBLISH' and not new.deactivated;
  v_field text;
  v_problem text;
  v_chain text[];
  v_ref_label text;
begin
  -- Syntax first, so the message can name the column.
  foreach v_field in array array['subject_template', 'body_template'] loop
    begin
      perform notify_internal.template_includes(
        case v_field when 'subject_template' then new.subject_template else new.body_template end);
    exception when invalid_text_representation then
      raise exception '%', format('template "%s": %s', v_label,
          regexp_replace(sqlerrm, '^malformed (\w+) ', 'malformed \1 in ' || v_field || ' '))
        using errcode = 'invalid_text_representation';
    end;
  end loop;

  -- Saves that change the include graph are serialised, so two concurrent
  -- saves cannot each close half of a cycle.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('notify.ent_notification_template includes'));

  -- Walk the includes from the saved row as the engine resolves them for its
  -- enterprise: the saved row is read from NEW, every other row as stored.
  -- The root's subject and body are rendered; an included template's body only.
  with recursive candidate as (
    select new.id as id, new.template_key as template_key, new.enterprise_id as enterprise_id,
           new.body_template as body_template, new.publish_status as publish_status,
           new.deactivated as deactivated
    union all
    select t.id, t.template_key, t.enterprise_id, t.body_template, t.publish_status, t.deactivated
      from notify.ent_notification_template t
     where t.id <> new.id
  ),
  walk (sources, depth, path_ids, chain, problem, ref_label) as (
    select array[new.subject_template, new.body_template], 0, array[new.id], array[v_label],
           null::text, null::text
    union all
    select array[resolved.body_template], walk.depth + 1, walk.path_ids || resolved.id,
           walk.chain || coalesce(coalesce(resolved.template_key, '#' || resolved.id), include.ref_label),
           case
             when resolved.id is null then 'missing'
             when resolved.id = any (walk.path_ids) then 'cycle'
             when walk.depth + 1 > c_max_depth then 'depth'
           end,
           include.ref_label
      from walk
     cross join lateral unnest(walk.sources) as part (source)
     cross join lateral notify_internal.template_includes(part.source) as include
      left join lateral (
        select candidate.*
          from candidate
         where (candidate.template_key = include.ref_key or candidate.id = include.ref_id)
           and notify_internal.is_usable_by(candidate.enterprise_id, candidate.publish_status,
             candidate.deactivated, new.enterprise_id, p_in_any_status => not v_resolvable)
         order by candidate.enterprise_id nulls last
         limit 1
      ) as resolved on true
     where walk.problem is null
  )
  select walk.problem, walk.chain, walk.ref_label into v_problem, v_chain, v_ref_label
    from walk
   where walk.problem is not null
   order by walk.depth
   limit 1;

  case v_problem
    when 'missing' then
      raise exception '%', format(
          'template "%s": include of "%s" does not resolve to %s %s (include chain %s)',
          v_label, v_ref_label,
          case when v_resolvable then 'a published, active template of' else 'a template of' end,
          case when new.enterprise_id is null then 'the shared templates'
            else format('enterprise %s or a shared one', new.enterprise_id) end,
          array_to_string(v_chain, ' → '))
        using errcode = 'foreign_key_violation';
    when 'cycle' then
      raise exception '%', format('template "%s": include cycle %s', v_label, array_to_string(v_chain, ' → '))
        using errcode = 'check_violation';
    when 'depth' then
      raise exception '%', format('template "%s": includes nested deeper than %s levels: %s',
          v_label, c_max_depth, array_to_string(v_chain, ' → '))
        using errcode = 'check_violation';
    else
      return new;
  end case;
end
$$;
comment on function notify_internal.validate_template_on_save() is
  'Trigger: refuses a template the engine could not render. Checks subject_template and body_template with notify_internal.template_includes (22P02 on malformed includes or mustache sections), then walks the includes as the engine resolves them (the row''s enterprise first, then shared templates; never another enterprise''s) and refuses a reference that resolves to nothing (23503), a cycle (23514, "include cycle a → b → a") and a chain deeper than 10 levels below the saved row (23514). A published, active row may only include published, active rows, since only those render. A DRAFT or deactivated row gets the same syntax, cycle and depth checks, but its includes only need to exist as rows of its enterprise or shared ones in any status: drafts are edited together, and publishing or reactivating it runs this check again with the published-only rule. Messages start with template "<key>" (or #<id>).';
