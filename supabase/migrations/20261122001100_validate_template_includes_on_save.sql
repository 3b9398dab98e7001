-- A template the engine could never render is refused when it is saved:
-- malformed includes or sections, includes that resolve to nothing, include
-- cycles and chains deeper than the engine's limit. A template others include
-- cannot be deleted, renamed, moved or withdrawn from under them.

create function notify_internal.validate_template_on_save() returns trigger
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
           new.body_template as body_template, v_resolvable as resolvable
    union all
    select t.id, t.template_key, t.enterprise_id, t.body_template,
           t.publish_status = 'PUBLISH' and not t.deactivated
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
           and (candidate.enterprise_id = new.enterprise_id or candidate.enterprise_id is null)
           and (candidate.resolvable or not v_resolvable)
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
revoke execute on function notify_internal.validate_template_on_save() from public, anon;

-- publish_status and deactivated are listed too: publishing a draft is when
-- its includes must start to resolve to published templates.
create trigger validate_template_on_save
  before insert or update of body_template, subject_template, template_key, enterprise_id,
    publish_status, deactivated
  on notify.ent_notification_template
  for each row execute function notify_internal.validate_template_on_save();

create function notify_internal.template_includers(p_id bigint, p_key text, p_enterprise_id uuid)
returns table (id bigint, label text, enterprise_id uuid, resolvable boolean, by_key boolean)
language sql
stable
security invoker
set search_path = ''
as $$
  select t.id, coalesce(t.template_key, '#' || t.id), t.enterprise_id,
         t.publish_status = 'PUBLISH' and not t.deactivated,
         bool_or(include.ref_key = p_key)
    from notify.ent_notification_template t
   cross join lateral unnest(array[t.subject_template, t.body_template]) as part (source)
   cross join lateral notify_internal.template_includes(part.source) as include
   where t.id <> p_id
     and (p_enterprise_id is null or t.enterprise_id = p_enterprise_id)
     -- Cheap filter before parsing: an includer names the key or the id.
     and (strpos(part.source, p_key) > 0 or strpos(part.source, p_id::text) > 0)
     and (include.ref_key = p_key or include.ref_id = p_id)
   group by t.id
   order by t.id
$$;
comment on function notify_internal.template_includers(bigint, text, uuid) is
  'Templates whose subject or body includes the template (p_id, p_key) of enterprise p_enterprise_id (null: a shared template, includable from every enterprise): id, label (key or #id), enterprise_id, whether the includer is published and active, and whether it names the template by key. Sees only the rows the caller may read.';
revoke execute on function notify_internal.template_includers(bigint, text, uuid) from public, anon;
grant execute on function notify_internal.template_includers(bigint, text, uuid) to authenticated, service_role;

create function notify_internal.guard_included_templates() returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
declare
  v_label text := coalesce(old.template_key, '#' || old.id);
  v_includers text;
  v_action text;
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('notify.ent_notification_template includes'));
  if tg_op = 'DELETE' then
    v_action := 'delete it';
    select string_agg(i.label, ', ' order by i.id) into v_includers
      from notify_internal.template_includers(old.id, old.template_key, old.enterprise_id) i;
  else
    if old.publish_status = 'PUBLISH' and not old.deactivated
      and not (new.publish_status = 'PUBLISH' and not new.deactivated)
    then
      v_action := 'unpublish or deactivate it';
      select string_agg(i.label, ', ' order by i.id) into v_includers
        from notify_internal.template_includers(old.id, old.template_key, old.enterprise_id) i
       where i.resolvable;
    end if;
    if v_includers is null and new.template_key is distinct from old.template_key then
      v_action := 'rename it';
      select string_agg(i.label, ', ' order by i.id) into v_includers
        from notify_internal.template_includers(old.id, old.template_key, old.enterprise_id) i
       where i.by_key;
    end if;
    if v_includers is null and new.enterprise_id is distinct from old.enterprise_id
      and new.enterprise_id is not null
    then
      v_action := format('move it to enterprise %s', new.enterprise_id);
      select string_agg(i.label, ', ' order by i.id) into v_includers
        from notify_internal.template_includers(old.id, old.template_key, old.enterprise_id) i
       where i.enterprise_id is distinct from new.enterprise_id;
    end if;
  end if;
  if v_includers is not null then
    raise exception '%', format('template "%s": cannot %s, it is included by %s', v_label, v_action, v_includers)
      using errcode = 'foreign_key_violation';
  end if;
  return null;
end
$$;
comment on function notify_internal.guard_included_templates() is
  'Constraint trigger: refuses, naming the includers (23503, template "<key>": cannot delete it, it is included by a, b), to delete a template other templates include, to unpublish or deactivate one published active templates include, to change the key others include it by, or to move it to an enterprise where its includers cannot reach it. It runs after the statement''s rows are written, so a statement that removes a template together with all its includers passes; SET CONSTRAINTS guard_included_templates DEFERRED defers it to commit.';
revoke execute on function notify_internal.guard_included_templates() from public, anon;

create constraint trigger guard_included_templates
  after delete or update of publish_status, deactivated, template_key, enterprise_id
  on notify.ent_notification_template
  deferrable initially immediate
  for each row execute function notify_internal.guard_included_templates();
